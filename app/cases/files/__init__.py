"""Files of cases: what a file is (sniffed from its bytes, never trusted from its name: filetypes.py) and the store
that keeps each one under its SHA-256 outside the database (store.py). Who may attach and download is decided
above, by work/attachments.py (staff) and intake/submission.py (the public form).

Imports: the base modules of app.cases (errors, ledger, transaction) and the models.
"""
