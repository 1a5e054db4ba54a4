"""SQLAlchemy models, one module per aggregate."""

from .attachment import ACCESS_CHANNELS, ACCESS_KINDS, Attachment, PersonalDataAccess
from .calendar import CalendarOverride
from .case import (
    CATEGORIES,
    CHANNELS,
    FINAL_STATUSES,
    FOLLOW_UP_OUTCOMES,
    SATISFACTION_SOURCES,
    TRANSITIONS,
    Case,
    CaseParty,
    CaseQueue,
    Counter,
    Petitioner,
)
from .heartbeat import SchedulerHeartbeat
from .incoming import INCOMING_STATES, REJECT_REASONS, IncomingItem
from .ledger import LedgerEntry
from .message import MESSAGE_CHANNELS, MESSAGE_STATES, NOTIFY_BY, MessageTemplate, OutboxMessage, RatingLink
from .migration import CASE_MIGRATION_STATES, MIGRATION_STATES, WHAT_IF_STATES, CaseMigration, ProcessMigration, WhatIfRun
from .notification import Notification
from .people import ROLES, ApiToken, Department, LaneGroup, User
from .petitioner_record import Person, PersonMerge
from .process import (
    VERSION_STATES,
    CatalogueEntry,
    ProcessInstance,
    ProcessSetting,
    ProcessSpec,
    ProcessVersion,
    ProcessVersionForm,
)
from .saved import SavedFilter, TaskDraft
from .search import BIGRAM_TABLE, SEARCH_TABLE, is_search_object, title_bigrams
from .security import ATTEMPT_KINDS, FailedAttempt, StaffSession
from .stats import (
    APPEAL_STATES,
    FIGURES,
    NO_DEPARTMENT,
    CountingAppeal,
    FocusTopic,
    PeriodicReport,
    StatCase,
    StatHandling,
    StatNode,
    StatPending,
    StatRollup,
)
from .supervision import NOTICE_KINDS, Incident, Notice
from .task import OPEN_STATES, Task, TaskOffer
from .taxonomy import MAX_LEVEL, TREE_KINDS, DispatchRule, TreeNode
from .timer import TIMER_KINDS, UNITS, Timer
from .types import utcnow
from .workbench import FormDefinition, ProcessDraft

__all__ = [
    "ACCESS_CHANNELS",
    "ACCESS_KINDS",
    "APPEAL_STATES",
    "ATTEMPT_KINDS",
    "BIGRAM_TABLE",
    "CASE_MIGRATION_STATES",
    "CATEGORIES",
    "CHANNELS",
    "FIGURES",
    "FINAL_STATUSES",
    "FOLLOW_UP_OUTCOMES",
    "INCOMING_STATES",
    "MAX_LEVEL",
    "MESSAGE_CHANNELS",
    "MESSAGE_STATES",
    "MIGRATION_STATES",
    "NOTICE_KINDS",
    "NOTIFY_BY",
    "NO_DEPARTMENT",
    "OPEN_STATES",
    "REJECT_REASONS",
    "ROLES",
    "SATISFACTION_SOURCES",
    "SEARCH_TABLE",
    "TIMER_KINDS",
    "TRANSITIONS",
    "TREE_KINDS",
    "UNITS",
    "VERSION_STATES",
    "WHAT_IF_STATES",
    "ApiToken",
    "Attachment",
    "CalendarOverride",
    "Case",
    "CaseMigration",
    "CaseParty",
    "CaseQueue",
    "CatalogueEntry",
    "Counter",
    "CountingAppeal",
    "Department",
    "DispatchRule",
    "FailedAttempt",
    "FocusTopic",
    "FormDefinition",
    "Incident",
    "IncomingItem",
    "LaneGroup",
    "LedgerEntry",
    "MessageTemplate",
    "Notice",
    "Notification",
    "OutboxMessage",
    "PeriodicReport",
    "Person",
    "PersonMerge",
    "PersonalDataAccess",
    "Petitioner",
    "ProcessDraft",
    "ProcessInstance",
    "ProcessMigration",
    "ProcessSetting",
    "ProcessSpec",
    "ProcessVersion",
    "ProcessVersionForm",
    "RatingLink",
    "SavedFilter",
    "SchedulerHeartbeat",
    "StaffSession",
    "StatCase",
    "StatHandling",
    "StatNode",
    "StatPending",
    "StatRollup",
    "Task",
    "TaskDraft",
    "TaskOffer",
    "Timer",
    "TreeNode",
    "User",
    "WhatIfRun",
    "is_search_object",
    "title_bigrams",
    "utcnow",
]
