"""Intake: an appeal becomes a case. The typed appeal every channel builds and validates here (appeal.py),
registration with its case number (registration.py), access codes, what a petitioner does with number and
code (public.py, also rating through a message's one-time link), review and re-review (reviews.py), withdrawal
(withdrawal.py), the public form's submission with its files and limits (submission.py), and the e-mail queue
(incoming.py).

Imports: uow/, procedures/ (none yet), people/, files/, messages/ and the base modules; never lists/, work/ or
supervision/.
"""
