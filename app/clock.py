"""The one clock of Minyi: real time, or a moment tests set. Everything that asks "now?" asks here,
SpiffWorkflow's timers included (engine.clock_hooks patches them)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_frozen: datetime | None = None
_offset = timedelta(0)


def now() -> datetime:
    """The current moment, timezone-aware UTC."""
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
    """Read the clock as `moment` inside the block (re-evaluating what was computed then)."""
    global _frozen, _offset
    saved = (_frozen, _offset)
    _frozen = moment.astimezone(UTC)
    try:
        yield
    finally:
        _frozen, _offset = saved


def reset() -> None:
    global _frozen, _offset
    _frozen, _offset = None, timedelta(0)


class ClockDatetime(datetime):
    """A datetime whose now() reads this clock; handed to libraries that call datetime.now()."""

    @classmethod
    def now(cls, tz=None):
        moment = now()
        return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)
