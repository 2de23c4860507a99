"""Serial batches on RQ: bulk allocation and file checks, with PostgreSQL holding each batch's truth.

Module map:

* schema      -- the worker's tables (serial_batch, serial_batch_serial, serial_batch_problem)
* batches     -- the batch row and its state machine (queued -> running -> done | failed)
* allocation  -- the allocation kind: submit (batch + store block), chunk, output file and labels
* filecheck   -- the check kind: read a file, check it (readers + rules), keep its problems
* runner      -- works one batch chunk by chunk under an advisory lock; reconnects; fails cleanly
* jobs        -- the RQ job function (worker.jobs.run_batch)
* queues      -- RQ queue names and job settings from odoo.conf
* reconcile   -- gives open batches whose job vanished a new one
* service     -- `serials worker`: RQ's worker plus reconcile rounds and Redis-outage tolerance
* submit      -- creating and enqueueing batches from outside the worker
* progress    -- status text and waiting with a progress bar or plain lines
* connections -- PostgreSQL and Redis connections, and the settings of this process
"""
