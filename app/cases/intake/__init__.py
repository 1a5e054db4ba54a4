"""Intake: an appeal becomes a case. The typed appeal every channel builds and validates here (appeal.py),
registration with its case number (registration.py), access codes, what a petitioner does with number and
code (public.py), review and re-review (reviews.py), withdrawal (withdrawal.py).

Imports: uow/, procedures/ (none yet), people/ and the base modules; never lists/, work/ or supervision/.
"""
