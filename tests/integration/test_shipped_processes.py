"""Every shipped BPMN file passes the deploy-time lint with the app's helpers, lanes and forms."""

from pathlib import Path

import pytest

from app.cases.procedures.processes import lint_bpmn

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", sorted((ROOT / "processes").glob("*.bpmn")), ids=lambda p: p.name)
def test_the_shipped_process_is_clean(app, path):
    parsed = lint_bpmn(path.read_bytes(), path.name)
    assert parsed.process_id == path.stem
