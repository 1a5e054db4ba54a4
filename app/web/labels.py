"""Words the pages show for the system's codes (statuses, categories, channels, roles, ledger actions), in zh and en."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.cases import ledger

STATUSES = {
    "registered": _l("Registered"), "handling": _l("Being handled"), "answered": _l("Answered"),
    "closed": _l("Closed"), "rejected": _l("Not accepted"), "withdrawn": _l("Withdrawn"),
}
CATEGORIES = {
    "consultation": _l("Consultation"), "complaint": _l("Complaint"), "suggestion": _l("Suggestion"),
    "help": _l("Request for help"), "dispute": _l("Dispute"), "incident": _l("Incident report"), "other": _l("Other"),
}
CHANNELS = {
    "web": _l("Website"), "hotline": _l("Hotline"), "letter": _l("Letter"), "visit": _l("Visit in person"),
    "email": _l("E-mail"), "social": _l("Social media"), "api": _l("Integration"), "open311": _l("Open311"),
}
ROLES = {
    "intake": _l("Intake"), "handler": _l("Handler"), "head": _l("Department head"), "supervisor": _l("Supervisor"),
    "leader": _l("Leader"), "mediator": _l("Mediator"), "owner": _l("Process owner"), "analyst": _l("Analyst"),
    "admin": _l("Administrator"),
}
# The ledger's actions, each with its label (registered with the action in app/cases/ledger.py).
ACTIONS = {code: _l(label) for code, label in ledger.ACTIONS.items()}
# The validation messages the services give (marshmallow's and forms.py's), as the pages show them.
FIELD_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Must not be blank.": _l("This field must not be blank."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid number.": _l("Enter a number."),
    "Not a valid date.": _l("Enter a date."),
    "Not a valid datetime.": _l("Enter a date and time."),
    "Not a valid phone number.": _l("Enter a phone number (digits, +, -, spaces)."),
    "Not a valid email address.": _l("Enter an e-mail address."),
    "Field may not be null.": _l("This field is required."),
    "must not be in the future": _l("This time must not be in the future."),
}
SLA = {"overdue": _l("Overdue"), "at_risk": _l("At risk")}
NOTIFICATIONS = {
    "warning": _l("Deadline near"), "breach": _l("Deadline passed"), "escalation": _l("Escalated"),
    "notice": _l("Supervision notice"), "objection": _l("Objection to a routing"), "assigned": _l("Assigned to you"),
}


def install(app: Flask) -> None:
    for name, table in (("status_label", STATUSES), ("category_label", CATEGORIES), ("channel_label", CHANNELS),
                        ("role_label", ROLES), ("action_label", ACTIONS), ("sla_label", SLA),
                        ("notification_label", NOTIFICATIONS),
                        ("field_message", FIELD_MESSAGES)):
        app.jinja_env.filters[name] = _lookup(table)
    app.jinja_env.filters["count"] = capped_count
    # (value, label) pairs for the filter bars' selects (staff/_filters.html)
    app.jinja_env.filters["category_pair"] = lambda code: (code, CATEGORIES.get(code, code))
    app.jinja_env.filters["channel_pair"] = lambda code: (code, CHANNELS.get(code, code))
    app.jinja_env.filters["handler_pair"] = lambda pair: (pair[0], f"{pair[1]} ({pair[0]})")


def capped_count(n: int) -> str:
    """A count the lists stop at (COUNT_CAP + 1) reads "1,000+"."""
    from app.cases.lists.task_lists import COUNT_CAP

    return f"{COUNT_CAP:,}+" if n > COUNT_CAP else f"{n:,}"


def _lookup(table):
    def label(code):
        return table.get(code, code or "")

    return label
