"""The modeler keeps what it loads (issue 23, item 5): each construct diagram (tests/constructs.py), loaded into the
workbench's modeler and saved, is the same process to Minyi's engine — the same parsed spec, every task, flow,
condition, script, loop, multi-instance, timer, message, lane owner and property — and a small edit changes only
what was edited."""

from __future__ import annotations

import json

import pytest

from app.engine import parse_bpmn, spec_to_json
from tests.browser.bundles import field as panel_field
from tests.browser.bundles import select, wait_for_xml, xml_of
from tests.constructs import CONSTRUCTS, laid_out

pytestmark = pytest.mark.browser


def engine_view(xml: str | bytes) -> dict:
    """What the engine runs: the parsed specs of the document's processes."""
    parsed = parse_bpmn(xml if isinstance(xml, bytes) else xml.encode("utf-8"), "help.bpmn")
    return json.loads(spec_to_json(parsed.spec, parsed.subprocess_specs))


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_each_construct_is_the_same_process_after_a_load_and_save(modeler, name):
    source = laid_out(CONSTRUCTS[name])
    page = modeler(source.decode("ascii" if b'encoding="ASCII"' in source[:100] else "utf-8"))
    saved = xml_of(page)
    assert engine_view(saved) == engine_view(source), name
    assert page.evaluate("window.editor.isDirty()") is False


def test_renaming_a_task_changes_its_name_and_nothing_else(modeler):
    source = laid_out(CONSTRUCTS["pre- and post-scripts, instructions and a clock"])
    page = modeler(source.decode("utf-8"))
    select(page, "check")
    panel_field(page, "name").fill("Check on site")
    saved = wait_for_xml(page, "Check on site")
    before, after = engine_view(source), engine_view(saved)
    assert after["spec"]["task_specs"]["check"].pop("bpmn_name") == "Check on site"
    before["spec"]["task_specs"]["check"].pop("bpmn_name")
    assert after == before
