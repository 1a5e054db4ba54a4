"""Lanes say who does a task: each lane name maps to a group (a role, at the case's department when the
lane stands for "the handling department")."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import LaneGroup

from .. import reference
from ..transaction import transaction

# (lane, role, department-scoped): the lane names the shipped processes use
DEFAULT_LANES = (
    ("Intake", "intake", False),
    ("Department", "handler", True),
    ("DepartmentHead", "head", True),
    ("Leadership", "leader", False),
    ("Supervision", "supervisor", False),
    ("Mediation", "mediator", False),
    ("Analysis", "analyst", False),
)


def ensure_default_lanes() -> None:
    """The lane names the shipped processes use, each mapped to a role (idempotent)."""
    with transaction():
        existing = set(db.session.scalars(select(LaneGroup.lane)))
        for lane, role, scoped in DEFAULT_LANES:
            if lane not in existing:
                db.session.add(LaneGroup(lane=lane, role=role, department_scoped=scoped))
    reference.forget()
