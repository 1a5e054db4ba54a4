"""Failed sign-ins and access-code lookups, counted in the database: every worker and every host reads the same
counts (counters in a worker's memory let N workers allow N times the guesses).

Sign-ins. A wrong password counts against the user name *from that address* and against the address. Five
failures of one name from one address refuse that name from that address for 15 minutes; thirty from one address,
whatever the names, refuse the address. So failures from elsewhere never lock the rightful user out at their own
desk. Against a guesser spreading over many addresses, a name with fifty failures in 15 minutes is refused on
devices it has never signed in from (a signed cookie set at sign-in marks a known device): the user's desk still
signs in.

Lookups (the petitioner's number and access code). A wrong code counts against the case number and the address.
After ten failures for a number within the hour, the number answers only to clients that already proved its code
(the /track page keeps a signed cookie): a guesser gets about ten tries per case per hour whatever addresses they
use, and the petitioner who tracked the case before is not locked out by them. Thirty failures from one address
within the hour stop that address's lookups. Rows older than a day are removed as new ones are written.

Submissions through the public form (not failures, but counted the same way): a few per address per hour, and a
ceiling for everyone together per minute, so a flood from many addresses cannot bury the intake queue.

Imports: models and the transaction boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select

from app.extensions import db
from app.models import FailedAttempt, utcnow

from ..transaction import transaction

ALL = "*"  # the subject of every submission
KEEP = timedelta(days=1)  # longer than any window: older rows are removed as new ones come


@dataclass(frozen=True)
class Limits:
    """How many failures, within which window, before a door is refused (config: MINYI_*_FAILURES_*)."""

    login_per_user_address: int = 5
    login_per_address: int = 30
    login_per_user: int = 50  # from devices the user never signed in from
    login_window: timedelta = timedelta(minutes=15)
    lookup_per_case: int = 10  # for clients that have not proved the code before
    lookup_per_address: int = 30
    lookup_window: timedelta = timedelta(hours=1)
    submissions_per_address: int = 5
    submissions_per_address_window: timedelta = timedelta(hours=1)
    submissions_overall: int = 60
    submissions_overall_window: timedelta = timedelta(minutes=1)


@dataclass(frozen=True)
class Refusal:
    """A door is closed for now: the seconds until the oldest counted failure leaves its window."""

    retry_after: int
    reason: str  # "user_address", "address", "user", "case", "overall"


_attempts = FailedAttempt.__table__


def login_refusal(username: str, address: str, known_device: bool, limits: Limits) -> Refusal | None:
    """Whether a sign-in as `username` from `address` is refused now (before the password is checked)."""
    name = _subject(username)
    checks = [("user_address", {"subject": name, "address": address}, limits.login_per_user_address),
              ("address", {"address": address}, limits.login_per_address)]
    if not known_device:
        checks.append(("user", {"subject": name}, limits.login_per_user))
    return _first_refusal("login", checks, limits.login_window)


def lookup_refusal(number: str, address: str, proved_before: bool, limits: Limits) -> Refusal | None:
    """Whether a lookup of case `number` from `address` is refused now (before the code is compared)."""
    checks = [("address", {"address": address}, limits.lookup_per_address)]
    if not proved_before:
        checks.append(("case", {"subject": _subject(number)}, limits.lookup_per_case))
    return _first_refusal("lookup", checks, limits.lookup_window)


def submission_refusal(address: str, limits: Limits) -> Refusal | None:
    """Whether the public form refuses a submission from `address` now."""
    return (_first_refusal("submission", [("address", {"address": address[:64]}, limits.submissions_per_address)],
                           limits.submissions_per_address_window)
            or _first_refusal("submission", [("overall", {"subject": ALL}, limits.submissions_overall)],
                              limits.submissions_overall_window))


def record_submission(address: str) -> None:
    """Count one submission from `address`, in the caller's transaction (the case and its count commit together)."""
    db.session.execute(insert(_attempts).values(kind="submission", subject=ALL, address=address[:64], at=utcnow()))


def record_failure(kind: str, subject: str, address: str) -> None:
    """Count one failure (its own transaction: it stays whatever the request does next)."""
    now = utcnow()
    with transaction():
        db.session.execute(delete(FailedAttempt).where(FailedAttempt.kind == kind,
                                                       FailedAttempt.subject == _subject(subject),
                                                       FailedAttempt.at < now - KEEP))
        db.session.execute(insert(_attempts).values(kind=kind, subject=_subject(subject), address=address[:64], at=now))


def forget_failures(kind: str, subject: str, address: str) -> None:
    """A success from this address clears its failures for the subject (a mistyped password is not held against
    the next day's first try)."""
    with transaction():
        db.session.execute(delete(FailedAttempt).where(FailedAttempt.kind == kind,
                                                       FailedAttempt.subject == _subject(subject),
                                                       FailedAttempt.address == address[:64]))


def purge_failures(now: datetime | None = None) -> int:
    """Remove every failure older than a day (the scheduler's housekeeping)."""
    with transaction():
        return db.session.execute(delete(FailedAttempt).where(FailedAttempt.at < (now or utcnow()) - KEEP)).rowcount


def _first_refusal(kind: str, checks: list[tuple[str, dict, int]], window: timedelta) -> Refusal | None:
    now = utcnow()
    since = now - window
    for reason, where, limit in checks:
        clauses = [FailedAttempt.kind == kind, FailedAttempt.at > since]
        clauses += [getattr(FailedAttempt, column) == value for column, value in where.items()]
        # the `limit`-th newest failure inside the window: while it exists, the door is closed until it leaves
        edge = db.session.execute(select(FailedAttempt.at).where(*clauses).order_by(FailedAttempt.at.desc())
                                  .offset(limit - 1).limit(1)).scalar()
        if edge is not None:
            return Refusal(max(1, int((edge + window - now).total_seconds()) + 1), reason)
    return None


def _subject(value: str) -> str:
    return (value or "").strip().casefold()[:64]


def failure_count(kind: str, subject: str) -> int:
    """How many failures are counted against a subject now (for tests and the admin's view)."""
    return db.session.scalar(select(func.count()).select_from(FailedAttempt).where(
        FailedAttempt.kind == kind, FailedAttempt.subject == _subject(subject))) or 0
