"""The one access policy: who may do what, to which cases and tasks.

POLICY maps every action a route or a service performs to the roles that may perform it, each with a scope:

- ANY          every target;
- VISIBLE      the cases the user may see: every-department roles see all of them; department staff (handler,
               head, mediator) see their department's cases and the cases one of whose tasks was in one of
               their queues (the `case_queue` table keeps the queues outside the case's department);
- DEPARTMENT   cases of the user's own department;
- SUPERVISED   a supervisor with a department supervises that department's cases and queues only;
- QUEUE        tasks in one of the user's queues (groups), assigned to them or offered to them by name;
- ADDRESSED    notices addressed to the user or one of their queues;
- PUBLIC       anyone, no sign-in (the petitioner's pages and lookups, sign-in itself).

The API's `require` and the pages' `staff_only` ask `may` before a view runs (the role, then the target named in
the URL); services ask again (`require`), so the command line and every other caller meet the same rules; list
queries apply `case_scope` in SQL. tests/web/test_permission_matrix.py compares every route with this table.

Rules written down here, not only in code:
- Attachments are case evidence for the people who work on cases. Analysts and process owners see cases without
  personal data (statistics, procedures): they neither list nor download attachments.
- A task may be assigned only to someone who holds the role of its step (a head's review to a head, …), or to a
  queue of that role; anyone else would be refused the task and it would sit stranded.
- Confidential cases (an accusation against staff, 信访工作条例 Art. 30) narrow every rule: only a user holding a
  role of `case.confidential` (the add-on role `confidential`) sees one at all -- and then only as far as their
  other roles reach. For everyone else it is absent from every list, search, inbox, console view, notice list and
  count, and a URL naming it is refused; every request naming one is logged (the access log). Exports and
  public disclosure never hold one, whoever asks (`NOT_CONFIDENTIAL`).

The package: the table (rules.py), asking it (checks.py), and the same as SQL for list queries (scopes.py).

Imports: the models, sql.py and errors.py only (it is asked by every room).
"""

from __future__ import annotations

from .checks import (
    check_case_access,
    check_supervision_scope,
    cleared,
    confidential_case_of,
    may,
    may_everywhere,
    may_see_case,
    queue_outside_department,
    require,
    sees_personal_data,
    supervision_scope,
)
from .rules import (
    ADDRESSED,
    ANY,
    DEPARTMENT,
    DEPARTMENT_BOUND,
    EVERY_CASE,
    POLICY,
    PUBLIC,
    PUBLIC_ACTIONS,
    QUEUE,
    STAFF,
    SUPERVISED,
    VISIBLE,
    WORKERS,
    Principal,
    personal_queue,
    roles_for,
    rules_of,
)
from .scopes import NOT_CONFIDENTIAL, TASK_NOT_CONFIDENTIAL, case_scope, case_scope_parts, hidden_tasks

__all__ = [
    "ADDRESSED", "ANY", "DEPARTMENT", "DEPARTMENT_BOUND", "EVERY_CASE", "NOT_CONFIDENTIAL", "POLICY", "PUBLIC",
    "PUBLIC_ACTIONS", "QUEUE", "STAFF", "SUPERVISED", "TASK_NOT_CONFIDENTIAL", "VISIBLE", "WORKERS", "Principal",
    "case_scope", "case_scope_parts", "check_case_access", "check_supervision_scope", "cleared",
    "confidential_case_of", "hidden_tasks", "may", "may_everywhere", "may_see_case", "personal_queue",
    "queue_outside_department", "require",
    "roles_for", "rules_of", "sees_personal_data", "supervision_scope",
]
