"""How routes meet the one access policy (app/cases/policy/rules.py): every view names its action, and the target its
URL names, before it runs. The API's `require` and the pages' `staff_only` both check through `check`; public
views are marked with `public`. The permission-matrix test reads the marks off the views.
"""

from __future__ import annotations

from collections.abc import Callable

from app.cases import policy, records
from app.cases.people.personal_data import log_confidential_access
from app.cases.policy import Principal

# URL variables that name a target of the policy, and how each is found (404 when it is not there)
TARGETS: dict[str, Callable] = {
    "number": lambda value: records.case_ref(str(value)),
    "task_id": lambda value: records.task_ref(str(value)[:36]),
    "notice_id": records.notice_by_id,
    "attachment_id": records.case_ref_of_attachment,
}


def mark(view, action: str, target: str | None = None):
    """Record the view's action and target (what the permission matrix reads)."""
    policy.roles_for(action)  # an action without a rule fails at import, not at the first request
    if target is not None and target not in TARGETS:
        raise LookupError(f"no loader for the target '{target}'")
    view.minyi_action, view.minyi_target = action, target
    return view


def public(view):
    """A view anyone may use without signing in (the policy's action `public`)."""
    return mark(view, "public")


def check(user: Principal, action: str, target: str | None, url_values: dict, channel: str) -> None:
    """The role first (nothing is looked up for someone who may never do this), then the target the URL names;
    a request naming a confidential case is logged (`channel`: api or page), refused or not."""
    policy.require(user, action)
    if target is not None:
        found = TARGETS[target](url_values[target])
        secret = policy.confidential_case_of(found)
        if secret is not None:
            log_confidential_access(user, secret, channel)
        policy.require(user, action, found)
