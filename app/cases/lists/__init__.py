"""Read-only listings, written for the database (filters in SQL, partial indexes, keyset pages, capped
counts): the cases list and case lookups (queries.py), open-task lists (task_lists.py), the staff inbox
(inbox.py), text search (search.py) and saved inbox filters (saved_filters.py). Every list applies the
access policy's scope in SQL.

Imports: uow/, procedures/, people/ and the base modules; never intake/, work/ or supervision/.
"""
