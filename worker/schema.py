"""The worker's own tables: batches, the serials a batch issued, the problems a check found.

Versioned like the engine's store tables and applied by the same runner
(serial_core.migrations.apply_migrations), but recorded in their own version table
(serial_batch_schema_version) so the worker can evolve without touching the engine's schema.
`serials db migrate` runs `migrate(cur)` after the store's migrations.
"""

from serial_core.migrations import Migration, apply_migrations

VERSION_TABLE = "serial_batch_schema_version"

# Never edit a released migration: add the next version.
MIGRATIONS = [
    Migration(
        1,
        "batches, their serials and their problems",
        """
        -- One row per batch: its whole truth. Redis only carries the job that works on it.
        CREATE TABLE serial_batch (
            id           serial PRIMARY KEY,
            kind         text NOT NULL CHECK (kind IN ('allocate', 'check')),
            state        text NOT NULL DEFAULT 'queued'
                         CHECK (state IN ('queued', 'running', 'done', 'failed')),
            params       jsonb NOT NULL,
            chunk_size   integer NOT NULL CHECK (chunk_size > 0),
            chunks_total integer NOT NULL CHECK (chunks_total >= 0),
            chunks_done  integer NOT NULL DEFAULT 0 CHECK (chunks_done >= 0),
            items_total  bigint NOT NULL CHECK (items_total >= 0),
            items_done   bigint NOT NULL DEFAULT 0 CHECK (items_done >= 0),
            block_id     integer,
            output_path  text,
            result       jsonb,
            error        text,
            job_id       text,
            attempts     integer NOT NULL DEFAULT 0,
            created_at   timestamptz NOT NULL DEFAULT now(),
            started_at   timestamptz,
            finished_at  timestamptz,
            updated_at   timestamptz NOT NULL DEFAULT now(),
            CHECK (chunks_done <= chunks_total),
            CHECK (items_done <= items_total)
        );
        CREATE INDEX serial_batch_open_idx ON serial_batch (state) WHERE state IN ('queued', 'running');

        -- Serials issued by allocation batches, by position in the batch (0-based). The primary
        -- key makes a re-run chunk fail loudly instead of writing twice; the unique serial index
        -- makes two batches unable to hold the same serial, whatever the sequences' formats.
        CREATE TABLE serial_batch_serial (
            batch_id integer NOT NULL REFERENCES serial_batch (id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            serial   text NOT NULL,
            PRIMARY KEY (batch_id, position)
        );
        CREATE UNIQUE INDEX serial_batch_serial_serial_uniq ON serial_batch_serial (serial);

        -- What a file check found (rules.Problem), in the order found.
        CREATE TABLE serial_batch_problem (
            batch_id integer NOT NULL REFERENCES serial_batch (id) ON DELETE CASCADE,
            position integer NOT NULL,
            kind     text NOT NULL,
            serial   text,
            message  text NOT NULL,
            PRIMARY KEY (batch_id, position)
        );
        """,
    ),
    Migration(
        2,
        "batch rows without foreign keys",
        """
        -- The foreign keys cost a lookup of serial_batch per row written (a third of a bulk
        -- chunk's time). Rows are only written by a batch's runner, after it locked that batch's
        -- row, and batches are never deleted, so the keys guarded nothing in practice.
        ALTER TABLE serial_batch_serial DROP CONSTRAINT serial_batch_serial_batch_id_fkey;
        ALTER TABLE serial_batch_problem DROP CONSTRAINT serial_batch_problem_batch_id_fkey;
        """,
    ),
]


def migrate(cur):
    """Applies the worker migrations not yet applied; returns the versions applied now."""
    return apply_migrations(cur, VERSION_TABLE, MIGRATIONS)
