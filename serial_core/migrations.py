"""Versioned DDL of the engine-owned tables (all prefixed serial_), and the one migration runner.

apply_migrations() applies each migration of a list once, in version order, and records it in
that list's version table: the store's tables here (serial_schema_version), the worker's batch
tables in worker/schema.py (serial_batch_schema_version, so the worker evolves on its own). It
takes a transaction-level advisory lock on the version table's name first, so two concurrent
runs queue instead of racing: the second sees the versions the first recorded and applies
nothing. Like the rest of the store it never commits; the caller's transaction makes it all or
nothing.
"""

from __future__ import annotations

from typing import NamedTuple

VERSION_TABLE = "serial_schema_version"


class Migration(NamedTuple):
    version: int
    description: str
    ddl: str  # one or more SQL statements, run in one execute


# Never edit a released migration: add the next version.
MIGRATIONS = [
    Migration(
        1,
        "sequences, counters and blocks",
        """
        CREATE TABLE serial_sequence (
            id serial PRIMARY KEY,
            code text NOT NULL CHECK (code <> ''),
            name text,
            format text NOT NULL,
            company text,
            gap_free boolean NOT NULL DEFAULT false,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        -- One sequence per code and company; "no company" is one value too.
        CREATE UNIQUE INDEX serial_sequence_code_company_uniq
            ON serial_sequence (code, coalesce(company, ''));

        -- One counter per (sequence, series, period). last_value is the last number issued or
        -- reserved when pg_sequence is NULL (gap-free: the row itself is the counter). When
        -- pg_sequence names a PostgreSQL sequence (not gap-free), that sequence issues the
        -- numbers and last_value is only the value it was created from.
        CREATE TABLE serial_counter (
            id bigserial PRIMARY KEY,
            sequence_id integer NOT NULL REFERENCES serial_sequence (id) ON DELETE CASCADE,
            series_key text NOT NULL,
            period_key text NOT NULL,
            last_value bigint NOT NULL,
            pg_sequence text,
            UNIQUE (sequence_id, series_key, period_key)
        );

        -- A contiguous range of one counter held for one holder. first..reserved_last were
        -- taken from the counter at reservation and are never issued to anyone else;
        -- last_value shrinks on release; next_unused is the next number the holder takes.
        CREATE TABLE serial_block (
            id serial PRIMARY KEY,
            counter_id bigint NOT NULL REFERENCES serial_counter (id) ON DELETE CASCADE,
            holder text NOT NULL CHECK (holder <> ''),
            digits integer NOT NULL,
            first_value bigint NOT NULL,
            last_value bigint NOT NULL,
            reserved_last bigint NOT NULL,
            next_unused bigint NOT NULL,
            expires_at timestamptz,
            reserved_at timestamptz NOT NULL DEFAULT now(),
            released_at timestamptz,
            CHECK (first_value <= next_unused AND next_unused <= last_value + 1
                   AND last_value <= reserved_last)
        );
        CREATE INDEX serial_block_counter_idx ON serial_block (counter_id);
        """,
    ),
]


def apply_migrations(cur, version_table, migrations) -> list[int]:
    """Apply the migrations not yet recorded in version_table; return the versions applied now."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (version_table,))
    cur.execute(
        f"CREATE TABLE IF NOT EXISTS {version_table} ("
        " version integer PRIMARY KEY,"
        " description text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())"
    )
    cur.execute(f"SELECT * FROM {version_table} LIMIT 0")
    if "description" not in {column[0] for column in cur.description}:
        # The worker's version table was first created without descriptions.
        cur.execute(f"ALTER TABLE {version_table} ADD COLUMN description text")
    cur.execute(f"SELECT version FROM {version_table}")
    done = {row[0] for row in cur.fetchall()}
    applied = []
    for migration in migrations:
        if migration.version in done:
            continue
        cur.execute(migration.ddl)
        cur.execute(
            f"INSERT INTO {version_table} (version, description) VALUES (%s, %s)",
            (migration.version, migration.description),
        )
        applied.append(migration.version)
    return applied


def applied_version(cur, version_table) -> int:
    """The highest version recorded in version_table, 0 when it was never migrated."""
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", (version_table,))
    if not cur.fetchone()[0]:
        return 0
    cur.execute(f"SELECT coalesce(max(version), 0) FROM {version_table}")
    return cur.fetchone()[0]


def migrate(cur) -> list[int]:
    """Create or upgrade the store's tables; return the versions applied now (may be [])."""
    return apply_migrations(cur, VERSION_TABLE, MIGRATIONS)


def schema_version(cur) -> int:
    """The store's schema version, 0 when it was never migrated."""
    return applied_version(cur, VERSION_TABLE)


LATEST_VERSION = MIGRATIONS[-1].version
