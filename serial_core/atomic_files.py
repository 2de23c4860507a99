"""Writing a file so that it is either absent (or as it was) or whole: never half-written.

The content goes to a hidden temporary file beside the target, is flushed to disk, and the
temporary file is renamed onto the target (one file system, so the rename is atomic). On any
failure the temporary file is removed and the target is left untouched.
"""

from __future__ import annotations

import contextlib
import os

from .errors import SerialError


def temporary_path(path, tag=None):
    """A hidden sibling of `path` that keeps its extension (writers that pick the format from it
    still work). `tag` tells writers apart; by default the process id."""
    directory, name = os.path.split(os.fspath(path))
    tag = tag if tag is not None else os.getpid()
    return os.path.join(directory, f".{name}.{tag}.tmp{os.path.splitext(name)[1]}")


@contextlib.contextmanager
def replacing(path, *, what="the file", tag=None, error=SerialError):
    """Yields a temporary path to write; when the block ends without an exception, that file
    replaces `path`. `what` names the content in errors, raised as `error` (a SerialError)."""
    path = os.fspath(path)
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise error(f"{path}: cannot write {what}: folder {directory} does not exist")
    temporary = temporary_path(path, tag)
    try:
        yield temporary
        _fsync(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise error(f"{path}: cannot write {what} ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)  # gone already once renamed


def write_bytes(path, data, **options):
    """`data` into `path`, all or nothing; options as for replacing()."""
    with replacing(path, **options) as temporary, open(temporary, "wb") as handle:
        handle.write(data)


def write_lines(path, lines, **options):
    """One line each (\\n-terminated) into `path`, all or nothing; options as for replacing()."""
    text = "".join(f"{line}\n" for line in lines)
    with replacing(path, **options) as temporary, open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _fsync(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
