"""Words the pages show for the system's codes (statuses, categories, channels, roles, ledger actions, queues), and
the names of processes and tasks in the page's language, in zh and en."""

from __future__ import annotations

import re

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.cases import ledger
from app.cases.messages.kinds import KINDS

from .locale import translated

STATUSES = {
    "registered": _l("Registered"), "handling": _l("Being handled"), "answered": _l("Answered"),
    "closed": _l("Closed"), "rejected": _l("Not accepted"), "withdrawn": _l("Withdrawn"),
}
CATEGORIES = {
    "consultation": _l("Consultation"), "complaint": _l("Complaint"), "suggestion": _l("Suggestion"),
    "help": _l("Request for help"), "dispute": _l("Dispute"), "incident": _l("Public-opinion incident"), "other": _l("Other"),
}
CHANNELS = {
    "web": _l("Website"), "hotline": _l("Hotline"), "letter": _l("Letter"), "visit": _l("Visit in person"),
    "email": _l("E-mail"), "social": _l("Social media"), "api": _l("Integration"), "open311": _l("Open311"),
}
ROLES = {
    "intake": _l("Intake"), "handler": _l("Handler"), "head": _l("Department head"), "supervisor": _l("Supervisor"),
    "leader": _l("Leader"), "mediator": _l("Mediator"), "owner": _l("Process owner"), "analyst": _l("Analyst"),
    "admin": _l("Administrator"), "confidential": _l("Cleared for confidential cases"),
}
# The ledger's actions, each with its label (registered with the action in app/cases/ledger.py).
ACTIONS = {code: _l(label) for code, label in ledger.ACTIONS.items()}
TASK_STATES = {"ready": _l("waiting to be claimed"), "claimed": _l("claimed"), "completed": _l("completed"),
               "cancelled": _l("cancelled")}
REVIEW_LEVELS = {"review": _l("review (复查)"), "re-review": _l("re-review (复核)")}
SLA = {"overdue": _l("Overdue"), "at_risk": _l("At risk")}
NOTIFICATIONS = {
    "warning": _l("Deadline near"), "breach": _l("Deadline passed"), "escalation": _l("Escalated"),
    "notice": _l("Supervision notice"), "objection": _l("Objection to a routing"), "assigned": _l("Assigned to you"),
    "alert": _l("Urgent: act at once"),
}

MESSAGE_KINDS = {**{code: _l(label) for code, label in KINDS.items()}, "staff": _l("Staff notification")}
MESSAGE_STATES = {"pending": _l("Waiting to be sent"), "sending": _l("Being sent"), "sent": _l("Sent"),
                  "dead": _l("Not delivered"), "uncertain": _l("Delivery uncertain"), "dropped": _l("Dropped")}
MESSAGE_CHANNELS = {"email": _l("E-mail"), "sms": _l("SMS")}
INCOMING_STATES = {"new": _l("To be dealt with"), "registered": _l("Registered as a case"),
                   "attached": _l("Joined the case it names"), "rejected": _l("Rejected")}
REJECT_REASONS = {"spam": _l("Spam"), "not_an_appeal": _l("Not an appeal"), "duplicate": _l("Already registered"),
                  "other": _l("Other")}
# The workbench's diff: what each kind of BPMN element and each compared attribute is called.
ELEMENT_KINDS = {
    "startEvent": _l("Start event"), "endEvent": _l("End event"), "intermediateCatchEvent": _l("Intermediate catch event"),
    "intermediateThrowEvent": _l("Intermediate throw event"), "boundaryEvent": _l("Boundary event"), "task": _l("Task"),
    "userTask": _l("User task"), "manualTask": _l("Manual task"), "scriptTask": _l("Script task"),
    "serviceTask": _l("Service task"), "sendTask": _l("Send task"), "receiveTask": _l("Receive task"),
    "businessRuleTask": _l("Business rule task"), "callActivity": _l("Call activity"), "subProcess": _l("Sub-process"),
    "transaction": _l("Transaction"), "exclusiveGateway": _l("Exclusive gateway"), "parallelGateway": _l("Parallel gateway"),
    "inclusiveGateway": _l("Inclusive gateway"), "eventBasedGateway": _l("Event-based gateway"),
    "complexGateway": _l("Complex gateway"), "sequenceFlow": _l("Sequence flow"),
}
DIFF_ATTRIBUTES = {
    "type": _l("Element kind"), "name": _l("Element name"), "lane": _l("Lane of the step"), "form": _l("Form of the step"),
    "due": _l("Time limit (due)"), "warn_share": _l("Warning share"), "escalate_after": _l("Escalate after"),
    "script": _l("Script"), "pre_script": _l("Pre-script"), "post_script": _l("Post-script"),
    "condition": _l("Condition"), "default": _l("Default flow"), "source": _l("Flow from"), "target": _l("Flow to"),
    "incoming": _l("Incoming flows"), "outgoing": _l("Outgoing flows"), "timer": _l("Timer"), "event": _l("Event"),
    "attached_to": _l("Attached to"), "interrupting": _l("Interrupting"), "called_element": _l("Called process"),
    "multi_instance": _l("Multi-instance"),
}


def install(app: Flask) -> None:
    for name, table in (("status_label", STATUSES), ("category_label", CATEGORIES), ("channel_label", CHANNELS),
                        ("role_label", ROLES), ("action_label", ACTIONS), ("sla_label", SLA),
                        ("notification_label", NOTIFICATIONS), ("message_kind_label", MESSAGE_KINDS),
                        ("message_state_label", MESSAGE_STATES), ("message_channel_label", MESSAGE_CHANNELS),
                        ("incoming_state_label", INCOMING_STATES), ("reject_reason_label", REJECT_REASONS),
                        ("element_kind_label", ELEMENT_KINDS), ("diff_attribute_label", DIFF_ATTRIBUTES)):
        app.jinja_env.filters[name] = _lookup(table)
    app.jinja_env.filters["field_message"] = app.jinja_env.filters["translated"] = translated
    app.jinja_env.filters["count"] = capped_count
    app.jinja_env.filters["title_label"] = lambda name: localized(name, str(get_locale() or "zh"))
    app.jinja_env.filters["process_title"] = process_title
    app.jinja_env.filters["group_label"] = group_label
    app.jinja_env.filters["department_name"] = department_name
    app.jinja_env.filters["tree_name"] = tree_name
    app.jinja_env.filters["department_by_id"] = department_by_id
    app.jinja_env.filters["actor_label"] = lambda actor: ACTORS.get(actor, actor)
    app.jinja_env.globals["lane_labels"] = lane_labels
    # (value, label) pairs for the filter bars' selects (staff/_filters.html)
    app.jinja_env.filters["category_pair"] = lambda code: (code, CATEGORIES.get(code, code))
    app.jinja_env.filters["channel_pair"] = lambda code: (code, CHANNELS.get(code, code))
    app.jinja_env.filters["handler_pair"] = lambda pair: (pair[0], f"{pair[1]} ({pair[0]})")


def process_title(key: str) -> str:
    """A process as its pages name it: its own name in the page's language, else its key."""
    from app.cases.procedures.processes import process_name

    return localized(process_name(key) or key, str(get_locale() or "zh"))


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def localized(name: str | None, locale: str) -> str:
    """A process's or task's name in the page's language. The shipped diagrams name elements "English 中文" (both
    read on the drawing); a page shows the Chinese part in zh and the English part in en. A name in one language
    only is shown as it is."""
    if not name:
        return name or ""
    found = _CJK.search(name)
    if found is None or found.start() == 0:
        return name
    english, chinese = name[:found.start()].strip(), name[found.start():].strip()
    return chinese if locale == "zh" else english


def group_label(group: str | None) -> str:
    """A queue (`role@CODE`, or a role) as people say it: the role, at the department's name."""
    if not group:
        return ""
    role, _, code = group.partition("@")
    role_text = str(ROLES.get(role, role))
    if not code:
        return role_text
    if code == "*":
        where = str(_l("the case’s department"))
    else:
        from app.cases import reference

        department = reference.departments().get(code)
        where = department.name if department else code
    return f"{role_text}（{where}）" if str(get_locale() or "zh") == "zh" else f"{role_text} ({where})"


def lane_labels() -> dict[str, str]:
    """Each lane of the diagrams as people say it: the role of the group that does its tasks (a diagram's lane is
    named by its lane group's key, which is what the workbench edits)."""
    from app.cases import reference

    return {lane: str(ROLES.get(rule.role, rule.role)) for lane, rule in reference.lane_groups().items()}


def department_name(code: str | None) -> str:
    """A department's name for its code (the code itself when the department is gone)."""
    from app.cases import reference

    found = reference.departments().get(code or "")
    return found.name if found else (code or "")


def tree_name(node_id: int | None) -> str:
    """A topic's or an area's name for its id (a case's topic_id, area_id)."""
    from app.cases import reference

    return reference.tree_codes().get(node_id, ("", ""))[1] if node_id else ""


def department_by_id(department_id: int | None) -> str:
    from app.cases import reference

    return getattr(reference.department_by_id(department_id), "name", "")


ACTORS = {"petitioner": _l("Petitioner"), "system": _l("System"), "scheduler": _l("Scheduled job")}


def capped_count(n: int) -> str:
    """A count the lists stop at (COUNT_CAP + 1) reads "1,000+"."""
    from app.cases.lists.task_lists import COUNT_CAP

    return f"{COUNT_CAP:,}+" if n > COUNT_CAP else f"{n:,}"


def _lookup(table):
    def label(code):
        return table.get(code, code or "")

    return label
