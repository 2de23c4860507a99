"""Helpers shared by the store tests (test_store, test_blocks, test_store_properties)."""

import multiprocessing


def serial_number(serial):
    """The number after a serial's last "-": SN-000042 gives 42."""
    return int(serial.rsplit("-", 1)[1])


def run_together(target, args_of_each):
    """What each of len(args_of_each) forked processes running target(*args, barrier, results)
    put on `results` (one item each), once every process has exited cleanly.

    The processes wait on the barrier, so their work starts at the same moment.
    """
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(args_of_each)), context.Queue()
    processes = [context.Process(target=target, args=(*args, barrier, results)) for args in args_of_each]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return outcomes
