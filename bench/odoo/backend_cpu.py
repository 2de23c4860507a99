"""CPU seconds of the PostgreSQL backend serving a cursor, read from /proc (PostgreSQL on this machine).

A flow that leaves work to SQL hides it from its own process's CPU time; on a shared machine the wall
clock hides everything. The Python process's CPU seconds plus its backend's are the flow's whole work,
whatever else runs beside it.
"""

import os

_TICKS = os.sysconf("SC_CLK_TCK")


def backend_pid(cr):
    cr.execute("SELECT pg_backend_pid()")
    return cr.fetchone()[0]


def backend_cpu_seconds(pid):
    """User + system CPU seconds of process ``pid`` so far; None when /proc cannot tell (another host)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3 of stat(5); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / _TICKS
