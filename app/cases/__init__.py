"""The service layer: what Minyi does with cases, grouped by what each part serves.

Rooms, from the top (each imports only rooms below it; `setup.cfg` holds the contract, `lint-imports` keeps it):

- archive/      retention periods, and closed cases out to a verified archive file and back
- work/         work on tasks: claim, complete, assign, drafts, attachments, what a task or case page shows
- supervision/  the supervisor console, stalled work, workload, supervision notices, routing objections
- lists/        read-only listings written for the database: cases, task lists, the inbox, search, saved filters
- intake/       the typed appeal every channel builds, registration, access codes, what petitioners do, reviews,
                withdrawal
- clocks/       firing due timers and SLA moments, incidents, holding a case, the organisation's calendar days
- procedures/   process versions and bundles, forms, lanes, the catalogue, the workbench, diff and migration
- uow/          the unit of work: load -> act -> save an instance, its projections, scripting, the SLA policy,
                the deployed versions it runs
- people/       staff accounts, departments, tokens, passwords, the petitioner's personal data

and, under them all: policy.py (the one access table), ledger.py (the one ledger writer and its actions),
transaction.py (the one transaction boundary: commit, rollback, conflicts),
notifications.py (in-app notifications and the outbox), records.py (a case by number or id), reference.py
(cached reference data and the calendar), sql.py (statement helpers), fields.py (input fields), errors.py.
bootstrap.py (the reference data a new database needs) sits on top.
Statistics will live in reports/; the doors to the public (web form, e-mail, Open311) in app/channels/.
"""
