"""Every shipped diagram opens cleanly in bpmn-js (the viewer Minyi serves) in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bpmn_layout import element_ids, load

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PROCESS_FILES = sorted((ROOT / "processes").glob("*.bpmn"))
BPMN_JS = ROOT / "node_modules" / "bpmn-js" / "dist"
VIEWPORT = {"width": 1800, "height": 900}

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="{assets}/diagram-js.css">
<link rel="stylesheet" href="{assets}/bpmn-js.css">
<link rel="stylesheet" href="{assets}/bpmn-font/css/bpmn.css">
<style>html, body, #canvas {{ margin: 0; width: 100%; height: 100%; background: white; }}</style>
<script src="{dist}/bpmn-navigated-viewer.production.min.js"></script>
</head><body><div id="canvas"></div>
<script>window.viewer = new BpmnJS({{ container: '#canvas' }});</script>
</body></html>
"""

IMPORT = """async (xml) => {
  const { warnings } = await window.viewer.importXML(xml);
  window.viewer.get('canvas').zoom('fit-viewport');
  const ids = window.viewer.get('elementRegistry').getAll().map((element) => element.id);
  return { warnings: warnings.map((warning) => warning.message), ids };
}"""


@pytest.fixture
def viewer_page(page, tmp_path):
    if not (BPMN_JS / "bpmn-navigated-viewer.production.min.js").exists():
        pytest.fail(f"bpmn-js is not installed under {BPMN_JS}: run scripts/setup")
    html = tmp_path / "viewer.html"
    html.write_text(PAGE.format(dist=BPMN_JS.as_uri(), assets=(BPMN_JS / "assets").as_uri()), encoding="utf-8")
    page.set_viewport_size(VIEWPORT)
    page.goto(html.as_uri())
    page.wait_for_function("() => window.viewer !== undefined")
    return page


@pytest.mark.parametrize("path", PROCESS_FILES, ids=lambda path: path.name)
def test_bpmn_js_draws_every_element_of_the_diagram_without_warnings(viewer_page, path, tmp_path):
    result = viewer_page.evaluate(IMPORT, path.read_text(encoding="utf-8"))
    viewer_page.screenshot(path=tmp_path / f"{path.stem}.png")

    assert result["warnings"] == []
    assert element_ids(load(path).tree) - set(result["ids"]) == set()
