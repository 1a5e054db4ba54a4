"""Domain errors. One base class; the web layer maps each to an HTTP status in one place.

Messages are `T(template, **params)` (app/text.py): English as a string, translated where a page shows it.
"""

from __future__ import annotations

from typing import Any

from app.text import T as T  # the services' messages (re-exported: `from ..errors import T`)
from app.text import Text as Text


class MinyiError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFoundError(MinyiError):
    code, http_status = "not_found", 404


class ForbiddenError(MinyiError):
    code, http_status = "forbidden", 403


class ConflictError(MinyiError):
    code, http_status = "conflict", 409


class StaleStateError(ConflictError):
    code = "stale"


class TaskNotReadyError(ConflictError):
    code = "task_not_ready"


class TaskClaimedError(ConflictError):
    code = "task_claimed"


class NothingWaitingError(ConflictError):
    code = "nothing_waiting"


class ValidationFailedError(MinyiError):
    code, http_status = "validation_failed", 422


class FormValidationError(ValidationFailedError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("the form data is not valid", errors)


class ProcessRejectedError(ValidationFailedError):
    code = "process_rejected"

    def __init__(self, problems: list[dict[str, str]]):
        super().__init__("the BPMN was rejected", {"problems": problems})


class InvalidFormDefinitionError(MinyiError):
    code, http_status = "invalid_form_definition", 500


class ProcessFailedError(MinyiError):
    """The process itself failed (a script raised): the operation is rolled back."""

    code, http_status = "process_failed", 422
