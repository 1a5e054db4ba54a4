"""The service layer: what Minyi does with cases, grouped by what each part serves.

Rooms, from the top (each imports only rooms below it; `setup.cfg` holds the contract, `lint-imports` keeps it):

- archive/      retention periods, and closed cases out to a verified archive file and back
- work/         work on tasks: claim, complete, assign, drafts, attachments, what a task or case page shows
- supervision/  the supervisor console, stalled work, workload, supervision notices, routing objections
- lists/        read-only listings written for the database: cases, task lists, the inbox, search, saved filters
- intake/       the typed appeal every channel builds, registration, access codes, what petitioners do (track,
                rate, also through a one-time link), reviews, withdrawal, the public form's submission, the
                e-mail queue (incoming mail), the candidates a new appeal may repeat, repeats and refusals
- clocks/       firing due timers and SLA moments, incidents, holding a case, the organisation's calendar days
- procedures/   process versions and bundles, forms, lanes, the catalogue, the workbench, diff and migration
- uow/          the unit of work: load -> act -> save an instance, its projections, scripting, the SLA policy,
                the deployed versions it runs
- people/       staff accounts, departments, tokens, passwords, the petitioner's personal data, security counters,
                petitioner records (one person across cases, found by keyed hashes of phone, e-mail, ID number)
- taxonomy/     the topic taxonomy (事项分类) and the areas (属地), the dispatch table that suggests a department
- files/        the file store (bytes by SHA-256) and what a file is
- messages/     messages to petitioners: the moments they are told about, the wording (shipped and the admins'),
                the outbox rows and their delivery states, rating links

and, under them all: policy/ (the one access table: rules.py, asking it: checks.py, as SQL: scopes.py; confidential
cases narrow it), ledger.py (the one ledger writer and its actions),
transaction.py (the one transaction boundary: commit, rollback, conflicts),
notifications.py (in-app notifications, e-mailed to staff who asked), records.py (a case by number or id), reference.py
(cached reference data and the calendar), sql.py (statement helpers), fields.py (input fields), errors.py.
bootstrap.py (the reference data a new database needs) sits on top.
Statistics will live in reports/; the wires out and in (SMTP, the SMS gateway, IMAP, Open311's formats) are in
app/channels/, which calls these services.
"""
