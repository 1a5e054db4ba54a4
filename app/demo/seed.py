"""Demo data for trying Minyi out: never for production (the passwords are public)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.cases.errors import ProcessRejectedError
from app.cases.people.departments import create_department
from app.cases.people.users import create_user
from app.cases.procedures.catalogue import bind_categories_to_their_processes, ensure_default_catalogue
from app.cases.procedures.lanes import ensure_default_lanes
from app.cases.procedures.processes import deploy_bpmn, process_files
from app.cases.taxonomy.dispatch import import_rules, rules
from app.cases.taxonomy.trees import import_file, nodes
from app.demo.cases import seed_demo_cases
from app.extensions import db
from app.models import ROLES, TREE_KINDS, Department, User

DEPARTMENTS = (("ENV", "生态环境科 Environment"), ("HOUSING", "住房保障科 Housing"), ("TRAFFIC", "交通运输科 Transport"))
DEPARTMENT_ROLES = {"handler", "head", "mediator"}
# the add-on clearance for confidential cases: held by the demo clerk and supervisor (not the handler, who then
# does not see the demo's confidential case), not a user of its own
CLEARED = {"intake", "supervisor"}
DISPATCH = Path(__file__).parent / "dispatch.csv"


def seed() -> list[str]:
    """Create what is missing; report what was done."""
    done = []
    ensure_default_lanes()
    for code, name in DEPARTMENTS:
        if db.session.scalar(select(Department.id).where(Department.code == code)) is None:
            create_department(code, name)
            done.append(f"department {code}")
    for role in ROLES:
        username = f"demo_{role}"
        if role != "confidential" and db.session.scalar(select(User.id).where(User.username == username)) is None:
            department = "ENV" if role in DEPARTMENT_ROLES else None
            roles = [role, "confidential"] if role in CLEARED else [role]
            create_user(username, roles, department, f"{username}-demo", f"Demo {role}")
            done.append(f"user {username} (password {username}-demo)")
    for path in process_files():
        try:
            result = deploy_bpmn(path.read_bytes(), path.name, "demo")
        except ProcessRejectedError as exc:
            done.append(f"process {path.name} rejected: {exc.details['problems']}")
            continue
        if result.created:
            done.append(f"process {result.key} version {result.version}")
    ensure_default_catalogue()
    done += [f"category {c} starts process {c}" for c in bind_categories_to_their_processes("demo")]
    for kind in TREE_KINDS:  # the shipped topic tree and the example areas, and who handles what where
        if not nodes(kind):
            counts = import_file(kind)
            done.append(f"{kind}s: {counts['added']} added")
    if not rules():
        done.append(f"dispatch rules: {import_rules(None, DISPATCH.read_text(encoding='utf-8'))}")
    done += seed_demo_cases()
    return done or ["demo data already present"]
