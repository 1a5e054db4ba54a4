"""Messages to petitioners: which moments of a case they are told about (kinds.py), in which words (wording.py:
the shipped templates and the administrators' own, rendered in a sandbox), the outbox rows written in the
operation's transaction and their delivery states (outbox.py, delivery_states.py), and one-time rating links
(rating_links.py). Sending them is app.channels' job.

Imports: the base modules of app.cases (errors, ledger, reference, sql, transaction) and the models.
"""
