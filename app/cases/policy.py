"""The one access policy: who may do what, to which cases and tasks.

POLICY maps every action a route or a service performs to the roles that may perform it, each with a scope:

- ANY          every target;
- VISIBLE      the cases the user may see: every-department roles see all of them; department staff (handler,
               head, mediator) see their department's cases and the cases one of whose tasks was in one of
               their queues (the `case_queue` table keeps the queues outside the case's department);
- DEPARTMENT   cases of the user's own department;
- SUPERVISED   a supervisor with a department supervises that department's cases and queues only;
- QUEUE        tasks in one of the user's queues (groups) or assigned to them;
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
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, false, or_, select

from app.models import Case, CaseQueue, Task

from . import errors
from .errors import T
from .sql import sql

ANY, VISIBLE, DEPARTMENT, SUPERVISED, QUEUE, ADDRESSED, PUBLIC = (
    "any", "visible", "department", "supervised", "queue", "addressed", "public")

# Roles whose work spans every department: registration, supervision, leadership, analysis, process owners.
EVERY_CASE = ("intake", "supervisor", "leader", "admin", "analyst", "owner")
# Roles bound to a department: their department's cases, and cases one of whose tasks was in their queues.
DEPARTMENT_BOUND = ("handler", "head", "mediator")
# Roles that work on tasks (have an inbox).
WORKERS = ("intake", "handler", "head", "supervisor", "leader", "mediator", "admin")
STAFF = (*WORKERS, "analyst", "owner")


@dataclass(frozen=True)
class Principal:
    """Who is acting: what the services need to know of a user, read in one query per request."""

    id: int
    username: str
    roles: frozenset[str]
    department_id: int | None
    department_code: str | None
    display_name: str | None = None  # for the pages' header
    department_name: str | None = None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def groups(self) -> frozenset[str]:
        """Each role, and each role at the user's department."""
        code = self.department_code
        return frozenset([*self.roles, *(f"{r}@{code}" for r in self.roles if code)])


def _rule(**scopes: tuple[str, ...]) -> dict[str, str]:
    """{role: scope} from scope=(roles...)."""
    return {role: scope.lower() for scope, roles in scopes.items() for role in roles}


_SEE_CASES = _rule(ANY=EVERY_CASE, VISIBLE=DEPARTMENT_BOUND)

POLICY: dict[str, dict[str, str]] = {
    "public": {},  # no sign-in: see PUBLIC_ACTIONS
    "signed_in": _rule(ANY=STAFF),  # one's own notifications, language, sign-out
    # cases
    "case.register": _rule(ANY=("intake", "supervisor", "admin")),
    "incoming.work": _rule(ANY=("intake", "supervisor", "admin")),  # the e-mail queue
    "open311.submit": _rule(ANY=("intake", "supervisor", "admin")),  # a city app's api_key posts service requests
    "case.list": _SEE_CASES,
    "case.view": _SEE_CASES,
    "case.withdraw": _rule(ANY=("intake", "supervisor", "admin")),
    "case.review": _rule(ANY=("intake", "supervisor", "admin")),
    "case.hold": _rule(ANY=("intake", "supervisor", "admin"), DEPARTMENT=("handler", "head")),
    "case.escalate": _rule(SUPERVISED=("supervisor",), ANY=("admin",)),
    "case.object": _rule(DEPARTMENT=("handler", "head")),
    "case.reroute": _rule(SUPERVISED=("supervisor",), ANY=("admin",)),
    "case.access_log": _rule(ANY=("admin",)),
    # confidential cases: who sees them at all (within their other roles' scope), and who marks a case so
    "case.confidential": _rule(ANY=("confidential",)),
    "case.confidentiality": _rule(ANY=("intake", "supervisor", "admin"), DEPARTMENT=("head",)),
    "case.classify": _rule(ANY=("intake", "supervisor", "admin"), DEPARTMENT=("handler", "head")),
    # the topic taxonomy and the areas: everyone at work reads them; admins load them and the dispatch table
    "taxonomy.read": _rule(ANY=STAFF),
    "taxonomy.manage": _rule(ANY=("admin",)),
    # petitioner records: who is calling and their history; merging two records of one person; repeated callers
    "person.lookup": _rule(ANY=("intake", "supervisor", "leader", "admin")),
    "person.merge": _rule(ANY=("intake", "supervisor", "admin")),
    "person.repeated": _rule(ANY=("supervisor", "leader", "analyst", "admin")),
    "attachment.use": _rule(ANY=("intake", "supervisor", "leader", "admin"), VISIBLE=DEPARTMENT_BOUND),
    # tasks
    "task.list": _rule(ANY=WORKERS),
    "task.list_all": _rule(ANY=("supervisor", "admin")),
    "task.view": _rule(QUEUE=("intake", "handler", "head", "leader", "mediator"), ANY=("supervisor", "admin")),
    "task.work": _rule(QUEUE=WORKERS),
    "task.assign": _rule(SUPERVISED=("supervisor",), ANY=("admin",)),
    "filter.use": _rule(ANY=WORKERS),
    # supervision
    "console.view": _rule(SUPERVISED=("supervisor",), ANY=("leader", "admin")),
    "notice.list": _rule(ANY=WORKERS),
    "notice.issue": _rule(SUPERVISED=("supervisor",), ANY=("leader", "admin")),
    "notice.reply": _rule(ADDRESSED=WORKERS, ANY=("admin",)),
    "incident.manage": _rule(ANY=("admin",)),
    "system.view": _rule(ANY=("admin",)),
    # messages to petitioners: what left, what is stuck, sending it again, their wording
    "message.view": _rule(ANY=("admin", "supervisor")),
    "message.retry": _rule(ANY=("admin",)),
    "message.templates": _rule(ANY=("admin",)),
    # procedures
    "process.read": _rule(ANY=("owner", "admin", "supervisor", "analyst", "leader")),
    "process.change": _rule(ANY=("owner", "admin")),
    "workbench.use": _rule(ANY=("owner", "admin")),
    "catalogue.read": _rule(ANY=("owner", "admin", "supervisor", "analyst", "leader", "intake")),
    "catalogue.change": _rule(ANY=("owner", "admin")),
    # accounts
    "account.manage": _rule(ANY=("admin",)),
}
PUBLIC_ACTIONS = frozenset({"public"})


def roles_for(action: str) -> frozenset[str]:
    """The roles that may perform `action` on some target."""
    return frozenset(_rules(action))


def may(user: Principal | None, action: str, target=None) -> bool:
    """Whether `user` may perform `action` (on `target`: a case, a task, a notice; None: the action at all)."""
    if action in PUBLIC_ACTIONS:
        return True
    if user is None:
        return False
    scopes = {scope for role, scope in _rules(action).items() if role in user.roles}
    if not scopes:
        return False
    if target is not None and _confidential(target) and not cleared(user):
        return False
    if target is None or ANY in scopes:
        return True
    return any(_in_scope(user, scope, target) for scope in scopes)


def require(user: Principal | None, action: str, target=None) -> None:
    """ForbiddenError, saying why, unless `may(user, action, target)`."""
    if may(user, action, target):
        return
    rules = _rules(action)
    if user is None or not user.has_role(*rules):
        raise errors.ForbiddenError(T('needs one of the roles: %(value)s', value=', '.join(sorted(rules))), {"action": action})
    if target is not None and _confidential(target) and not cleared(user):
        raise errors.ForbiddenError(T('this case is confidential: only staff cleared for confidential cases may open it'),
                                    {"action": action, "confidential": True})
    scopes = {rules[r] for r in user.roles if r in rules}
    if SUPERVISED in scopes and user.department_code:
        raise errors.ForbiddenError(
            T('your supervision covers department %(department_code)s only', department_code=user.department_code), {"action": action})
    if QUEUE in scopes:
        raise errors.ForbiddenError(T('this task belongs to another group'), {"action": action})
    if ADDRESSED in scopes:
        raise errors.ForbiddenError(T('this notice is addressed to someone else'), {"action": action})
    raise errors.ForbiddenError(T('this case belongs to another department'), {"action": action})


def case_scope(user: Principal, action: str = "case.list"):
    """The cases `user` may list, as a condition on Case (None: every case), for list queries."""
    parts = case_scope_parts(user, action)
    if parts is None:
        return None
    return or_(*parts) if parts else false()


def case_scope_parts(user: Principal, action: str = "case.list") -> list | None:
    """`case_scope` as the conditions it ORs (their department's cases; the cases their queues held), for a query
    that searches each apart: None for every case, [] for none. Confidential cases only for the cleared."""
    scopes = {scope for role, scope in _rules(action).items() if role in user.roles}
    if not scopes:
        return []
    shown = cleared(user)
    if ANY in scopes:
        return None if shown else [NOT_CONFIDENTIAL]
    return _visible_parts(user) if shown else [and_(part, NOT_CONFIDENTIAL) for part in _visible_parts(user)]


# A case that is not confidential (exports and disclosure apply it for everyone), and an open task's case that is
# confidential (one probe of the case's key per task row; the confidential few are indexed apart).
NOT_CONFIDENTIAL = Case.confidential == false()
_SECRET = Case.__table__.alias("secret_case")  # apart from the Case a task list may join for its filters
TASK_OF_CONFIDENTIAL_CASE = exists().where(_SECRET.c.id == Task.case_id, _SECRET.c.confidential)


def cleared(user: Principal | None) -> bool:
    """Whether the user may see confidential cases (within the scope of their other roles)."""
    return user is not None and bool(user.roles.intersection(_rules("case.confidential")))


def hidden_tasks(user_cleared: bool) -> list:
    """Conditions on Task keeping the tasks of confidential cases from a user not cleared for them ([] if cleared)."""
    return [] if user_cleared else [~TASK_OF_CONFIDENTIAL_CASE]


def supervision_scope(user: Principal) -> str | None:
    """The one department a supervisor's views and actions are limited to, or None for every department.

    A supervisor with a department set supervises that department only; leaders and admins, and
    supervisors without a department, supervise every department.
    """
    if user.has_role("admin", "leader") or not user.has_role("supervisor"):
        return None
    return user.department_code


def check_supervision_scope(user: Principal, department_id: int | None, group: str | None = None) -> None:
    """ForbiddenError when a department-limited supervisor acts outside their department."""
    if not _supervises(user, department_id, group):
        raise errors.ForbiddenError(T('your supervision covers department %(value)s only', value=supervision_scope(user)))


def sees_personal_data(user: Principal, case) -> bool:
    """Whether the petitioner's name, phone and address are shown unmasked to this user."""
    if user.has_role("intake", "supervisor", "leader", "admin"):
        return True
    # Department staff see the petitioner of their own department's cases only.
    # (no case: a person across cases, whom department staff see masked)
    return (user.has_role(*DEPARTMENT_BOUND) and case is not None and case.department_id is not None
            and case.department_id == user.department_id)


def may_see_case(user: Principal, case) -> bool:
    return may(user, "case.view", case)


def check_case_access(user: Principal, case):
    """The case, or ForbiddenError when the policy keeps it from this user."""
    require(user, "case.view", case)
    return case


def queue_outside_department(group: str | None, department_code: str | None) -> bool:
    """Whether a task in `group` on a case of `department_code` lets more people see the case than the department
    does: a queue of a department-bound role that is not that role at the case's department."""
    if not group:
        return False
    role, _, code = group.partition("@")
    return role in DEPARTMENT_BOUND and not (code and code == department_code)


def _rules(action: str) -> dict[str, str]:
    try:
        return POLICY[action]
    except KeyError:
        raise LookupError(T("no rule for '%(action)s' in app/cases/policy.py", action=action)) from None


def _in_scope(user: Principal, scope: str, target) -> bool:
    if scope == VISIBLE:
        case_id, department_id = _case_of(target)
        return (department_id is not None and department_id == user.department_id) or _in_my_queues(user, case_id)
    if scope == DEPARTMENT:
        _case_id, department_id = _case_of(target)
        return user.department_id is not None and department_id == user.department_id
    if scope == SUPERVISED:
        _case_id, department_id = _case_of(target)
        return _supervises(user, department_id, getattr(target, "group", None))
    if scope == QUEUE:
        return target.group in user.groups or (target.assignee is not None and target.assignee == user.username)
    if scope == ADDRESSED:
        return target.addressee_user == user.username or target.addressee_group in user.groups
    return False


def confidential_case_of(target) -> int | None:
    """The id of the confidential case the target is, or belongs to (a task, notice, attachment); None if not."""
    if isinstance(target, Case) or hasattr(target, "number"):
        return target.id if target.confidential else None
    case_id = getattr(target, "case_id", None)
    if case_id is None:
        return None
    return case_id if sql(select(Case.confidential).where(Case.id == case_id)).scalar() else None


def _confidential(target) -> bool:
    return confidential_case_of(target) is not None


def _case_of(target) -> tuple[int | None, int | None]:
    """(case id, department id) of a case, or of the case a task or notice belongs to."""
    if isinstance(target, Case) or hasattr(target, "number"):
        return target.id, target.department_id
    case_id = target.case_id
    return case_id, sql(select(Case.department_id).where(Case.id == case_id)).scalar()


def _supervises(user: Principal, department_id: int | None, group: str | None) -> bool:
    scope = supervision_scope(user)
    if scope is None:
        return True
    if user.department_id is not None and department_id == user.department_id:
        return True
    return group is not None and group.endswith(f"@{scope}")


def _in_my_queues(user: Principal, case_id: int | None) -> bool:
    if case_id is None:
        return False
    return bool(sql(select(exists().where(CaseQueue.case_id == case_id, CaseQueue.queue.in_(sorted(user.groups))))).scalar())


def _visible_parts(user: Principal) -> list:
    in_queues = Case.id.in_(select(CaseQueue.case_id).where(CaseQueue.queue.in_(sorted(user.groups))))
    if user.department_id is None:
        return [in_queues]
    return [Case.department_id == user.department_id, in_queues]
