"""The house's layout, as the code states it: no module of app/ imports another module's private names, and every
room of app/cases says in its docstring what belongs there and what it may import (the layers themselves are kept
by import-linter, setup.cfg)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_from(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def test_no_module_imports_another_modules_private_names():
    found = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private:
                    found.append(f"{path.relative_to(APP.parent)}: {', '.join(private)} from {_imported_from(path, node)}")
    assert found == []


def test_every_room_of_the_service_layer_says_what_belongs_there_and_what_it_may_import():
    rooms = sorted(p.parent for p in (APP / "cases").glob("*/__init__.py"))
    assert len(rooms) >= 8
    for room in rooms:
        doc = importlib.import_module(_module_name(room / "__init__.py")).__doc__ or ""
        assert "Imports:" in doc, f"{room.name}/__init__.py says nothing of what it may import"
        modules = [p for p in room.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= 13, f"{room.name} holds {len(modules)} modules: split it"
