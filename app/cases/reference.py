"""Small, rarely changed reference data read on hot paths (departments, lane groups, the catalogue, the
organisation's calendar and time zone), cached briefly.

Changes made through this process's services invalidate the cache at once; other processes see
them within MAX_AGE seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.calendar import WorkCalendar, has_official_data
from app.extensions import db
from app.models import (
    CalendarOverride,
    CatalogueEntry,
    Department,
    LaneGroup,
    MessageTemplate,
    ProcessSetting,
    TreeNode,
    utcnow,
)

MAX_AGE = 10.0


@dataclass(frozen=True)
class DepartmentRef:
    id: int
    code: str
    name: str
    active: bool


@dataclass(frozen=True)
class LaneRule:
    lane: str
    role: str
    department_scoped: bool
    department: str | None = None  # a fixed department's code

    def group(self, case_department: str | None) -> str:
        """The group that does the task: `role@CODE` at a fixed department or at the case's, else the role."""
        if self.department:
            return f"{self.role}@{self.department}"
        return f"{self.role}@{case_department}" if self.department_scoped and case_department else self.role

    @property
    def text(self) -> str:
        """As an owner writes it: `role`, `role@*` (the case's department) or `role@CODE`."""
        return f"{self.role}@{self.department}" if self.department else f"{self.role}@*" if self.department_scoped else self.role


_cache: dict[str, tuple[float, dict]] = {}


def departments() -> dict[str, DepartmentRef]:
    """Department code -> reference."""
    return _cached("departments", lambda: {
        d.code: DepartmentRef(d.id, d.code, d.name, d.active)
        for d in db.session.execute(select(Department.id, Department.code, Department.name, Department.active))
    })


def lane_groups() -> dict[str, LaneRule]:
    """Lane name -> the group rule that does its tasks."""
    return _cached("lanes", lambda: {
        row.lane: LaneRule(row.lane, row.role, row.department_scoped, row.department)
        for row in db.session.execute(select(LaneGroup.lane, LaneGroup.role, LaneGroup.department_scoped,
                                             LaneGroup.department))
    })


def default_groups() -> dict[str, str]:
    """Process key -> the group that does the tasks its diagram gives to nobody (when an owner set one)."""
    return _cached("default_groups", lambda: {
        row.key: row.default_group
        for row in db.session.execute(select(ProcessSetting.key, ProcessSetting.default_group)) if row.default_group
    })


def calendar_overrides() -> dict:
    """Date -> True (extra working day) / False (extra rest day)."""
    return _cached("calendar", lambda: {
        row.day: row.working for row in db.session.execute(select(CalendarOverride.day, CalendarOverride.working))
    })


def catalogue_bindings() -> dict[str, str]:
    """Category -> the key of the process its cases start."""
    return _cached("catalogue", lambda: {
        row.category: row.process_key for row in db.session.execute(select(CatalogueEntry.category, CatalogueEntry.process_key))
    })


def message_templates() -> dict[tuple[str, str, str], tuple[str | None, str]]:
    """(kind, channel, locale) -> (subject, body) of the wordings administrators changed."""
    return _cached("message_templates", lambda: {
        (row.kind, row.channel, row.locale): (row.subject, row.body) for row in db.session.execute(
            select(MessageTemplate.kind, MessageTemplate.channel, MessageTemplate.locale, MessageTemplate.subject,
                   MessageTemplate.body))
    })


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["MINYI_TIMEZONE"])


def local_today() -> date:
    """Today's date where the office is."""
    return utcnow().astimezone(zone()).date()


def provisional(moment: datetime) -> bool:
    """Whether a moment falls in a year without official calendar data (to recompute when it is published)."""
    return not has_official_data(moment.astimezone(zone()).year)


def work_calendar() -> WorkCalendar:
    return WorkCalendar(calendar_overrides())


def department_by_id(department_id: int | None) -> DepartmentRef | None:
    """The department of that id (a case's department_id, suggested_department_id), or None."""
    if department_id is None:
        return None
    return next((d for d in departments().values() if d.id == department_id), None)


def tree_codes() -> dict[int, tuple[str, str]]:
    """Topic and area node id -> (code, name): what a case's topic_id and area_id read as."""
    return _cached("tree_codes", lambda: {
        i: (code, name) for i, code, name in db.session.execute(select(TreeNode.id, TreeNode.code, TreeNode.name))})


def forget() -> None:
    _cache.clear()


def _cached(key: str, load) -> dict:
    found = _cache.get(key)
    if found is None or time.monotonic() - found[0] > MAX_AGE:
        found = _cache[key] = (time.monotonic(), load())
    return found[1]
