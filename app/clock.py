"""The one clock of Minyi: real time, or a moment tests set. Everything that asks "now?" asks here,
SpiffWorkflow's timers included (engine.clock_hooks patches them)."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

_frozen: datetime | None = None
_offset = timedelta(0)
_read_as: ContextVar[datetime | None] = ContextVar("minyi_clock_read_as", default=None)  # `at`: this thread only


def now() -> datetime:
    """The current moment, timezone-aware UTC."""
    moment = _read_as.get()
    if moment is not None:
        return moment
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def freeze(moment: datetime) -> None:
    """Stop the clock at `moment` (tests)."""
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = moment.astimezone(UTC)


def advance(delta: timedelta) -> None:
    """Move a frozen clock on, or shift the running one (tests)."""
    global _frozen, _offset
    if _frozen is not None:
        _frozen += delta
    else:
        _offset += delta


@contextmanager
def at(moment: datetime):
    """Read the clock as `moment` inside the block, in this thread only (re-evaluating what was computed then,
    replaying recorded cases); the clock everyone else reads keeps running."""
    token = _read_as.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _read_as.reset(token)


def reset() -> None:
    global _frozen, _offset
    _frozen, _offset = None, timedelta(0)


class ClockDatetime(datetime):
    """A datetime whose now() reads this clock; handed to libraries that call datetime.now()."""

    @classmethod
    def now(cls, tz=None):
        moment = now()
        return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)
