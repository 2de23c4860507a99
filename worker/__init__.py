"""Serial batches on RQ: bulk allocation and file checks, with PostgreSQL holding each batch's truth.

Module map:

* schema      -- the worker's tables (serial_batch, serial_batch_serial, serial_batch_problem)
* batches     -- the batch row and its state machine (queued -> running -> done | failed)
* allocation  -- the allocation kind: submit (batch + store block), chunk, output file and labels
* filecheck   -- the check kind: check a file (serial_core.filecheck), keep its problems
* runner      -- works one batch chunk by chunk under an advisory lock; reconnects; fails cleanly
* jobs        -- the RQ job function (worker.jobs.run_batch)
* odoo_jobs   -- Odoo's serial jobs: the RQ job opening Odoo's registry, their enqueue and reconcile
* queues      -- the RQ queue and the settings every job is enqueued with
* reconcile   -- gives open batches whose job vanished a new one
* service     -- `serials worker`: RQ's worker plus reconcile rounds and Redis-outage tolerance
* submit      -- creating and enqueueing batches from outside the worker
* progress    -- a batch's progress as data: its row now, and again while it runs
* config      -- odoo.conf: the database settings and the worker's [serial_tracking] section
* connections -- PostgreSQL and Redis connections, and the settings of this process
"""
