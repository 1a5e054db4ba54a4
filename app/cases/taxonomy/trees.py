"""The topic taxonomy (事项分类) and the areas (属地): two trees of up to three levels, imported from a CSV file
(`code,name,parent,keywords`; a parent before its children or already known), edited by admins, and suggested from
an appeal's text by their keywords.

An import is all or nothing: every row is checked (a code, a name, a known parent, at most three levels)
before any is written; a code already known is updated in place (its cases keep it), a new one added.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import MAX_LEVEL, TREE_KINDS, TreeNode

from .. import errors, policy, reference
from ..errors import T
from ..policy import Principal
from ..transaction import transaction

DEFAULTS = Path(__file__).parent / "defaults"
COLUMNS = ("code", "name", "parent", "keywords")


@dataclass(frozen=True)
class Suggestion:
    node: TreeNode
    matched: tuple[str, ...]  # the keywords found in the text: why


def nodes(kind: str, active_only: bool = True) -> list[TreeNode]:
    """The tree in reading order: each node after its parent, siblings by code."""
    _check_kind(kind)
    stmt = select(TreeNode).where(TreeNode.kind == kind)
    if active_only:
        stmt = stmt.where(TreeNode.active.is_(True))
    return sorted(db.session.scalars(stmt), key=lambda n: n.code)


def node_by_code(kind: str, code: str | None, field: str) -> TreeNode | None:
    """The active node of that code, None for none given; a ValidationFailedError on `field` for an unknown one."""
    if not code:
        return None
    found = db.session.scalar(select(TreeNode).where(TreeNode.kind == kind, TreeNode.code == code.strip(),
                                                     TreeNode.active.is_(True)))
    if found is None:
        if kind == "topic":
            raise errors.ValidationFailedError(T('unknown topic'), {field: [T('No topic %(code)s.', code=code)]})
        raise errors.ValidationFailedError(T('unknown area'), {field: [T('No area %(code)s.', code=code)]})
    return found


def path_of(node: TreeNode | None) -> list[TreeNode]:
    """The node and its ancestors, root first."""
    chain = []
    while node is not None:
        chain.append(node)
        node = db.session.get(TreeNode, node.parent_id) if node.parent_id else None
    return chain[::-1]


def suggest(kind: str, text: str | None) -> Suggestion | None:
    """The node whose keywords the text holds most of (the deeper one on a tie), or None."""
    text = (text or "").casefold()
    if not text.strip():
        return None
    best: tuple[int, int, str] | None = None
    chosen: Suggestion | None = None
    for node in nodes(kind):
        matched = tuple(k for k in (node.keywords or "").split() if k.casefold() in text)
        if not matched:
            continue
        rank = (len(matched), node.level, node.code)
        if best is None or rank > best:
            best, chosen = rank, Suggestion(node, matched)
    return chosen


def import_tree(user: Principal | None, kind: str, data: str) -> dict[str, int]:
    """Load a CSV tree (all or nothing); returns {'added': n, 'updated': m}. `user` None: the command line."""
    if user is not None:
        policy.require(user, "taxonomy.manage")
    _check_kind(kind)
    rows = _parse(data)
    known = {n.code: n for n in db.session.scalars(select(TreeNode).where(TreeNode.kind == kind))}
    levels = _levels(rows, {code: node.level for code, node in known.items()})
    added = updated = 0
    with transaction():
        for row in rows:
            node = known.get(row["code"])
            if node is None:
                node = TreeNode(kind=kind, code=row["code"], active=True)
                db.session.add(node)
                known[row["code"]] = node
                added += 1
            else:
                updated += 1
            parent = known.get(row["parent"]) if row["parent"] else None
            if parent is not None and parent.id is None:
                db.session.flush()
            node.name, node.keywords, node.level = row["name"], row["keywords"] or None, levels[row["code"]]
            node.parent_id = parent.id if parent is not None else None
            node.active = True
            db.session.flush()
    reference.forget()
    return {"added": added, "updated": updated}


def import_file(kind: str, path: Path | None = None) -> dict[str, int]:
    """The command line's import: the named file, or the shipped default tree."""
    path = path or DEFAULTS / f"{kind}s.csv"
    return import_tree(None, kind, path.read_text(encoding="utf-8-sig"))


def _parse(data: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(data))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames[:2]] != ["code", "name"]:
        raise errors.ValidationFailedError(T('not a tree file'), {"file": [
            T('The first line must name the columns: code,name,parent,keywords.')]})
    rows, seen, problems = [], set(), []
    for number, raw in enumerate(reader, start=2):
        row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        if not row["code"] or not row["name"]:
            problems.append(T('line %(line)s: a code and a name are needed', line=number))
        elif len(row["code"]) > 32 or len(row["name"]) > 100:
            problems.append(T('line %(line)s: the code (32) or the name (100) is too long', line=number))
        elif row["code"] in seen:
            problems.append(T('line %(line)s: the code %(code)s appears twice', line=number, code=row["code"]))
        seen.add(row["code"])
        rows.append(row)
    if not rows:
        problems.append(T('the file has no rows'))
    if problems:
        raise errors.ValidationFailedError(T('the tree file has mistakes'), {"file": problems})
    return rows


def _levels(rows: list[dict[str, str]], known: dict[str, int]) -> dict[str, int]:
    levels, problems = dict(known), []
    for number, row in enumerate(rows, start=2):
        parent = row["parent"]
        if parent == row["code"]:
            problems.append(T('line %(line)s: %(code)s cannot be its own parent', line=number, code=parent))
            continue
        if parent and parent not in levels:
            problems.append(T('line %(line)s: the parent %(parent)s is not known (list a parent before its children)',
                              line=number, parent=parent))
            continue
        levels[row["code"]] = levels[parent] + 1 if parent else 1
        if levels[row["code"]] > MAX_LEVEL:
            problems.append(T('line %(line)s: more than %(n)s levels', line=number, n=MAX_LEVEL))
    if problems:
        raise errors.ValidationFailedError(T('the tree file has mistakes'), {"file": problems})
    return levels


def _check_kind(kind: str) -> None:
    if kind not in TREE_KINDS:
        raise errors.NotFoundError(T('no tree %(kind)s', kind=kind))
