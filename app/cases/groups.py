"""Groups: who a task goes to. A name from a diagram (a lane, a candidate group) means its mapping in the lane map, else
the name read as a group -- `role` (anywhere), `role@*` (at the case's department) or `role@CODE` (a department).
The map itself is kept by app/cases/procedures/lanes.py."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import ROLES, User

from . import reference
from .errors import T, ValidationFailedError
from .reference import LaneRule

FALLBACK_GROUP = "intake"  # the default group of a process whose owner set none
WORKING_ROLES = tuple(r for r in ROLES if r != "confidential")  # an add-on clearance, not a group doing work


def parse_group(text: str | None, field: str = "group") -> LaneRule:
    """`role`, `role@*` or `role@CODE` as a rule; a clear error naming what is wrong."""
    value = (text or "").strip()
    role, at, where = value.partition("@")
    role, where = role.strip().lower(), where.strip().upper()
    if not role:
        raise ValidationFailedError(T("name a group"), {field: [T("write a role, role@* (the case's department) or "
                                                                  "role@CODE (a department)")]})
    if role not in WORKING_ROLES:
        raise ValidationFailedError(T("no role '%(role)s'", role=role),
                                    {field: [T("roles: %(roles)s", roles=", ".join(WORKING_ROLES))]})
    if at and not where:
        raise ValidationFailedError(T("name a department after @"), {field: [T("write role@* for the case's department "
                                                                              "or role@CODE for a department")]})
    if where and where != "*" and where not in reference.departments():
        raise ValidationFailedError(T("no department '%(code)s'", code=where),
                                    {field: [T("departments: %(codes)s", codes=", ".join(sorted(reference.departments())) or "-")]})
    return LaneRule("", role, where == "*", where if where and where != "*" else None)


def rule_for(name: str | None) -> LaneRule | None:
    """What a lane or candidate-group name means: its mapping, else the name read as a group, else None."""
    name = (name or "").strip()
    if not name:
        return None
    return reference.lane_groups().get(name) or as_group(name)


def as_group(name: str) -> LaneRule | None:
    """The name read as a group itself (`intake`, `handler@*`, `head@ENV`); None when it is not one."""
    try:
        return parse_group(name)
    except ValidationFailedError:
        return None


def receivable(name: str) -> bool:
    return rule_for(name) is not None


def default_group(process_key: str | None) -> str:
    return reference.default_groups().get(process_key or "", FALLBACK_GROUP)


@dataclass(frozen=True)
class WhoDoes:
    group: str
    assignee: str | None = None
    offered: tuple[str, ...] = ()  # several named people, each offered the task beyond its group


def who_does(human, department: str | None, process_key: str | None) -> WhoDoes:
    """Who does a new task: its group -- its first candidate group that means a group, else its lane's group, else
    its process's default group, at `department` where the rule says the case's department; the assignee the
    diagram names (or its only candidate user) when that is an active user; when it names several candidate users
    (and no assignee), those of them who are active users, each offered the task."""
    candidates = human.candidates
    rule = next((r for r in map(rule_for, candidates.groups) if r is not None), None) or rule_for(human.lane)
    if rule is None:
        rule = rule_for(default_group(process_key)) or LaneRule("", FALLBACK_GROUP, False)
    group = rule.group(department)
    one = candidates.assignee or (candidates.users[0] if len(candidates.users) == 1 else None)
    if one is not None:
        return WhoDoes(group, next(iter(_active_users([one])), None))
    return WhoDoes(group, None, tuple(_active_users(candidates.users)))


def _active_users(usernames) -> list[str]:
    """The active users among these names, in the diagram's order."""
    names = list(dict.fromkeys(n.strip() for n in usernames if n and n.strip()))
    if not names:
        return []
    found = set(db.session.scalars(select(User.username).where(User.username.in_(names), User.active.is_(True))))
    return [n for n in names if n in found]
