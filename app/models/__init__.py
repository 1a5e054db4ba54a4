"""SQLAlchemy models, one module per aggregate."""

from .attachment import ACCESS_CHANNELS, Attachment, PersonalDataAccess
from .calendar import CalendarOverride
from .case import CATEGORIES, CHANNELS, FINAL_STATUSES, TRANSITIONS, Case, CaseParty, Counter, Petitioner
from .ledger import LedgerEntry
from .notification import Notification, OutboxMessage
from .people import ROLES, ApiToken, Department, LaneGroup, User
from .process import VERSION_STATES, CatalogueEntry, ProcessInstance, ProcessSpec, ProcessVersion, ProcessVersionForm
from .saved import SavedFilter, TaskDraft
from .supervision import NOTICE_KINDS, Incident, Notice
from .task import OPEN_STATES, Task
from .timer import TIMER_KINDS, UNITS, Timer
from .types import utcnow
from .workbench import FormDefinition, ProcessDraft

__all__ = [
    "ACCESS_CHANNELS",
    "CATEGORIES",
    "CHANNELS",
    "FINAL_STATUSES",
    "NOTICE_KINDS",
    "OPEN_STATES",
    "ROLES",
    "TIMER_KINDS",
    "TRANSITIONS",
    "UNITS",
    "VERSION_STATES",
    "ApiToken",
    "Attachment",
    "CalendarOverride",
    "Case",
    "CaseParty",
    "CatalogueEntry",
    "Counter",
    "Department",
    "FormDefinition",
    "Incident",
    "LaneGroup",
    "LedgerEntry",
    "Notice",
    "Notification",
    "OutboxMessage",
    "PersonalDataAccess",
    "Petitioner",
    "ProcessDraft",
    "ProcessInstance",
    "ProcessSpec",
    "ProcessVersion",
    "ProcessVersionForm",
    "SavedFilter",
    "Task",
    "TaskDraft",
    "Timer",
    "User",
    "utcnow",
]
