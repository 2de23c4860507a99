"""Versioned DDL of the engine-owned tables (all prefixed serial_).

Each migration is applied once, in version order, and recorded in serial_schema_version.
migrate() takes a transaction-level advisory lock first, so two concurrent migrates queue
instead of racing: the second sees the versions the first recorded and applies nothing.
Like the rest of the store it never commits; the caller's transaction makes it all or nothing.
"""
from __future__ import annotations

# pg_advisory_xact_lock key: the bytes "SERIALMG" as a bigint, unlikely to clash with others.
MIGRATE_LOCK_KEY = int.from_bytes(b"SERIALMG", "big") - 2**63

# (version, description, DDL). Never edit a released migration: add the next version.
MIGRATIONS = [
    (
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


def migrate(cur) -> list[int]:
    """Apply the migrations not yet recorded; return the versions applied now (may be [])."""
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK_KEY,))
    cur.execute(
        """
        CREATE TABLE IF NOT EXISTS serial_schema_version (
            version integer PRIMARY KEY,
            description text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    cur.execute("SELECT version FROM serial_schema_version")
    done = {row[0] for row in cur.fetchall()}
    applied = []
    for version, description, ddl in MIGRATIONS:
        if version in done:
            continue
        cur.execute(ddl)
        cur.execute(
            "INSERT INTO serial_schema_version (version, description) VALUES (%s, %s)",
            (version, description),
        )
        applied.append(version)
    return applied


def schema_version(cur) -> int:
    """The highest version applied, 0 when the store was never migrated."""
    cur.execute("SELECT to_regclass('serial_schema_version') IS NOT NULL")
    if not cur.fetchone()[0]:
        return 0
    cur.execute("SELECT coalesce(max(version), 0) FROM serial_schema_version")
    return cur.fetchone()[0]
