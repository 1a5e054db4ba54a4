"""The BPMN engine: the only package that imports SpiffWorkflow. No Flask, no SQLAlchemy."""

from . import clock_hooks
from .canonical import executable_xml, referenced_forms
from .element_diff import element_diff
from .errors import (
    BpmnProblem,
    BpmnRejectedError,
    EngineError,
    NothingWaitingError,
    ScriptBudgetError,
    ScriptDataError,
    ScriptError,
    TaskNotReadyError,
)
from .lint import lint_process
from .migration import MigrationCheck, MigrationUnsafeError, check_migration, migrate_instance
from .parser import ParsedProcess, as_utf8, parse_bpmn
from .path_checks import path_warnings
from .runtime import (
    HumanTask,
    cancel_instance,
    complete_task,
    evaluate_in_task,
    is_completed,
    ready_human_tasks,
    send_message,
    start_data_of,
    start_instance,
    task_data,
    task_state,
    waiting_messages,
    waits_for_message,
    wake_timers,
)
from .sample_data import lint_data
from .script_checks import SET_CASE_FIELDS
from .scripts.sandbox import make_script_engine
from .serialization import content_hash, spec_cache, spec_to_json, state_from_json, state_to_json
from .steps import CASE_FIELDS, StepLog, set_case
from .timers import (
    PendingTimer,
    after_duration,
    move_timer,
    pending_timers,
    reevaluate_timer,
    timer_definition,
    timer_expression,
)

clock_hooks.install()

__all__ = [
    "CASE_FIELDS",
    "SET_CASE_FIELDS",
    "BpmnProblem",
    "BpmnRejectedError",
    "EngineError",
    "HumanTask",
    "MigrationCheck",
    "MigrationUnsafeError",
    "NothingWaitingError",
    "ParsedProcess",
    "PendingTimer",
    "ScriptBudgetError",
    "ScriptDataError",
    "ScriptError",
    "StepLog",
    "TaskNotReadyError",
    "after_duration",
    "as_utf8",
    "cancel_instance",
    "check_migration",
    "complete_task",
    "content_hash",
    "element_diff",
    "evaluate_in_task",
    "executable_xml",
    "is_completed",
    "lint_data",
    "lint_process",
    "make_script_engine",
    "migrate_instance",
    "move_timer",
    "parse_bpmn",
    "path_warnings",
    "pending_timers",
    "ready_human_tasks",
    "reevaluate_timer",
    "referenced_forms",
    "send_message",
    "set_case",
    "spec_cache",
    "spec_to_json",
    "start_data_of",
    "start_instance",
    "state_from_json",
    "state_to_json",
    "task_data",
    "task_state",
    "timer_definition",
    "timer_expression",
    "waiting_messages",
    "waits_for_message",
    "wake_timers",
]
