"""Retention and archive: closed cases past their category's retention period leave the database for a compressed,
self-describing file (the case, its petitioner and parties, the ledger, the work record, the process state, notices,
notifications and attachments with their checksums), verified before anything is removed, and come back from it
row for row.

- retention.py  which cases may go: final, and closed longer ago than their category's retention period
- rows.py       every row of a case across the tables that hang off it, as JSON and back
- files.py      the archive file: write, read, verify
- archiving.py  archive (write, verify, then remove) and restore

Imports: work/ (the attachment store) and the base modules.
"""
