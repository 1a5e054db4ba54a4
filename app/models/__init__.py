"""SQLAlchemy models, one module per aggregate."""

from .calendar import CalendarOverride
from .case import CATEGORIES, CHANNELS, FINAL_STATUSES, TRANSITIONS, Case, CaseParty, Counter, Petitioner
from .ledger import LedgerEntry
from .notification import Notification, OutboxMessage
from .people import ROLES, ApiToken, Department, LaneGroup, User
from .process import VERSION_STATES, CatalogueEntry, ProcessInstance, ProcessSpec, ProcessVersion, ProcessVersionForm
from .task import OPEN_STATES, Task
from .timer import Timer
from .types import utcnow

__all__ = [
    "CATEGORIES",
    "CHANNELS",
    "FINAL_STATUSES",
    "OPEN_STATES",
    "ROLES",
    "TRANSITIONS",
    "VERSION_STATES",
    "ApiToken",
    "CalendarOverride",
    "Case",
    "CaseParty",
    "CatalogueEntry",
    "Counter",
    "Department",
    "LaneGroup",
    "LedgerEntry",
    "Notification",
    "OutboxMessage",
    "Petitioner",
    "ProcessInstance",
    "ProcessSpec",
    "ProcessVersion",
    "ProcessVersionForm",
    "Task",
    "Timer",
    "User",
    "utcnow",
]
