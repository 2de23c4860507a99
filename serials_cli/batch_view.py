"""Showing a worker batch: its status in words, and its progress while waiting for it to end.

The worker reports progress as data (worker.progress); this draws it. On a terminal it draws a
progress bar; otherwise (a log, a pipe, CI) it prints a plain line whenever the count moved and
a few seconds passed, so logs stay short.
"""

import sys
import time

import click

from worker import progress

PLAIN_LINE_SECONDS = 2.0  # at most one plain progress line this often
IDLE_HINT_SECONDS = 30.0  # a batch this long without progress gets a hint about the worker


def describe(batch, problems=(), runner_live=None):
    """Several lines: state, counts, output, summary, error, times.

    `runner_live` (for an open batch): whether a job is working on it right now.
    """
    lines = [batch.progress_line()]
    if batch.is_open and runner_live is not None:
        lines.append(
            "  a worker is on it now"
            if runner_live
            else "  no worker is on it now: it waits for one (serials worker); "
            "a worker re-enqueues it if its job was lost"
        )
    result = batch.result or {}
    if batch.kind == "allocate":
        lines.append(f"  output: {batch.output_path}" + ("" if batch.state == "done" else " (written when done)"))
        lines.extend(f"  {run}" for run in result.get("summary", []))
        if result.get("runs", 0) > len(result.get("summary", [])):
            lines.append(f"  ... {result['runs']} runs in all")
        if result.get("labels"):
            lines.append(f"  labels: {result['labels']} ({result['labels_count']} labels)")
    else:
        lines.append(f"  file: {batch.params['path']}")
        if "serials" in result:
            lines.append(
                f"  {result['serials']} serials read from {result['rows']} rows, {result['problems']} problem(s)"
            )
        lines.extend(f"  {kind}: {message}" for kind, _serial, message in problems)
        if result.get("problems", 0) > len(problems):
            lines.append(f"  ... {result['problems']} problems in all")
    if batch.error:
        lines.append(f"  error: {batch.error}")
    times = [f"created {batch.created_at:%Y-%m-%d %H:%M:%S}"]
    if batch.started_at and batch.finished_at:
        times.append(f"took {(batch.finished_at - batch.started_at).total_seconds():.1f} s")
    if batch.attempts > 1:
        times.append(f"{batch.attempts} attempts")
    lines.append("  " + ", ".join(times))
    return "\n".join(lines)


def wait_for_batch(config, batch_id, *, stream=None, timeout=None):
    """Follows the batch until it is done or failed, showing progress; returns the final Batch.

    `timeout` (seconds) bounds the wait; None waits as long as it takes.
    """
    stream = stream or sys.stderr
    snapshots = progress.watch(config, batch_id, timeout=timeout)
    batch = next(snapshots)
    show = _show_bar if stream.isatty() else _show_lines
    return show(batch, snapshots, stream)


class _IdleHint:
    """Says once that a batch makes no progress, which usually means no worker is running."""

    def __init__(self, stream):
        self.stream, self.since, self.said, self.seen = stream, time.monotonic(), False, None

    def check(self, batch):
        if batch.items_done != self.seen:
            self.seen, self.since = batch.items_done, time.monotonic()
        elif not self.said and time.monotonic() - self.since > IDLE_HINT_SECONDS:
            click.echo(
                f"batch {batch.id} ({batch.state}) has not moved for {IDLE_HINT_SECONDS:.0f} s: "
                f"is a worker running? (serials worker)",
                file=self.stream,
            )
            self.said = True


def _show_bar(batch, snapshots, stream):
    hint = _IdleHint(stream)
    with click.progressbar(
        length=max(batch.items_total, 1),
        label=f"batch {batch.id} ({batch.kind})",
        file=stream,
        show_pos=True,
        show_eta=True,
    ) as bar:
        shown = batch.items_done
        bar.update(shown)
        for batch in snapshots:
            bar.update(batch.items_done - shown)
            shown = batch.items_done
            hint.check(batch)
    return batch


def _show_lines(batch, snapshots, stream):
    hint = _IdleHint(stream)
    click.echo(batch.progress_line(), file=stream)
    shown, last_line = batch.items_done, time.monotonic()
    for batch in snapshots:
        if batch.items_done != shown and time.monotonic() - last_line >= PLAIN_LINE_SECONDS:
            click.echo(batch.progress_line(), file=stream)
            shown, last_line = batch.items_done, time.monotonic()
        hint.check(batch)
    if batch.items_done != shown:
        click.echo(batch.progress_line(), file=stream)
    return batch
