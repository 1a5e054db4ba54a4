"""The moments a petitioner is told about in writing (信访工作条例 Art. 22-23, 34-36; seed 001 §2(二)3), and how
the ledger entries of one operation map onto them."""

from __future__ import annotations

from typing import Any

from ..ledger import N_

KINDS: dict[str, str] = {
    "receipt": N_("Receipt (number, access code, dates)"),
    "repeat": N_("Handled together with an open case (a repeat)"),
    "not_accepted": N_("Notice of non-acceptance"),
    "accepted": N_("Notice of acceptance"),
    "routed": N_("Routed to a department"),
    "extended": N_("Handling period extended"),
    "answered": N_("The answer, with a link to rate it"),
    "closed": N_("Case closed: how to ask for a review"),
}

# what each kind's template may use (besides name, number, title and track_url, which every kind has)
VARIABLES: dict[str, tuple[str, ...]] = {
    "receipt": ("access_code", "received", "accept_by", "answer_by"),
    "repeat": ("original",),
    "accepted": ("answer_by",),
    "not_accepted": ("reason",),
    "routed": ("department", "answer_by"),
    "extended": ("answer_by", "reason"),
    "answered": ("answer", "rating_url", "review_by"),
    "closed": ("review_by", "review_level"),
}
COMMON = ("name", "number", "title", "track_url")
REVIEW_WINDOW_DAYS = 30  # a review (复查), then a re-review (复核), may be asked within 30 days (Art. 35-36)


def events_of(entries: list[dict[str, Any]], answer: str | None) -> list[tuple[str, dict[str, Any]]]:
    """(kind, facts) for each ledger entry of one operation the petitioner is told about; `answer` is the case's
    answer after the operation (a non-acceptance's reason)."""
    changes = [(e["action"], e["details"]) for e in entries]
    rejected = any(a == "case.status_changed" and d.get("to") == "rejected" for a, d in changes)
    events: list[tuple[str, dict[str, Any]]] = []
    for action, details in changes:
        if action == "case.registered":
            events.append(("receipt", {}))
            if details.get("repeat_of"):
                events.append(("repeat", {"original": details["repeat_of"]}))
        elif action == "case.linked_as_repeat":  # found at triage: the repeat's own process ended
            events.append(("repeat", {"original": details["repeat_of"]}))
        elif action == "case.status_changed" and details.get("to") == "rejected":
            events.append(("not_accepted", {"reason": answer}))
        elif action == "case.answer_by_changed" and details.get("because") in ("accepted", "extended"):
            kind = "accepted" if details["because"] == "accepted" else "extended"
            events.append((kind, {"answer_by": details.get("answer_by"), "reason": details.get("reason")}))
        elif action in ("case.routed", "case.rerouted"):
            events.append(("routed", {"department": details.get("department") or details.get("to")}))
        elif action == "case.answered" and not rejected:
            events.append(("answered", {"answer": details.get("answer")}))
        elif action == "case.status_changed" and details.get("to") == "closed" and details.get("from") == "answered":
            events.append(("closed", {}))
    order = list(KINDS)  # as a reader expects them: accepted before routed, the answer before the closing
    return sorted(events, key=lambda event: order.index(event[0]))
