"""People: staff accounts and who is acting behind a session or token (users.py), API tokens (tokens.py),
departments (departments.py), managing accounts (accounts.py), the password policy (passwords.py), and the
petitioner's personal data as a user may see it, with the log of unmasked views (personal_data.py).

Imports: the base modules only (policy, errors, records, reference, sql, transaction).
"""
