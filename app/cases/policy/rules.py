"""The table: every action a route or a service performs, the roles that may perform it and with which scope (see
the package's docstring for the scopes and the rules written down)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import T

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

    @property
    def queues(self) -> list[str]:
        """The queues whose cases the user may see (case_queue): their groups and their personal queue."""
        return [*sorted(self.groups), personal_queue(self.username)]


def personal_queue(username: str) -> str:
    """The queue of one person (a task offered to several named people records each one's)."""
    return f"user:{username}"


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
    # a message to the case's process ("the papers arrived"): those who may hold it, as they deal with the outside
    "case.message": _rule(ANY=("intake", "supervisor", "admin"), DEPARTMENT=("handler", "head")),
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
    # the lane map (who does the tasks of a lane or candidate group): owners and supervisors read it, admins change
    # it; a process's default group is the process's owners' to set
    "lanes.read": _rule(ANY=("owner", "admin", "supervisor")),
    "lanes.change": _rule(ANY=("admin",)),
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
    # figures (docs/statistics.md): the whole office for analysts, leaders, supervisors and admins; a head's department
    "stats.read": _rule(ANY=("analyst", "leader", "supervisor", "admin"), DEPARTMENT=("head",)),
    # appeals against counting (申诉): a head contests a case of their department; a supervisor decides
    "stats.appeal": _rule(DEPARTMENT=("head",)),
    "stats.appeal_decide": _rule(ANY=("supervisor", "admin")),
    # the month's focus topic (每月一题): leadership marks it
    "stats.focus": _rule(ANY=("leader", "admin")),
    # the periodic reports (monthly, quarterly, annual): the office's, read by those who read its figures
    "report.read": _rule(ANY=("analyst", "leader", "supervisor", "admin")),
    "report.generate": _rule(ANY=("analyst", "admin")),
    # accounts
    "account.manage": _rule(ANY=("admin",)),
}
PUBLIC_ACTIONS = frozenset({"public"})


def roles_for(action: str) -> frozenset[str]:
    """The roles that may perform `action` on some target."""
    return frozenset(rules_of(action))


def rules_of(action: str) -> dict[str, str]:
    """{role: scope} of `action`; LookupError for an action the table does not name."""
    try:
        return POLICY[action]
    except KeyError:
        raise LookupError(T("no rule for '%(action)s' in app/cases/policy/rules.py", action=action)) from None
