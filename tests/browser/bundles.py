"""The workbench bundles' harness: a static server on loopback serving the two harness pages next to
app/static/build (built by scripts/setup from frontend/), and what the bundle tests do on those pages."""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from app.engine.parser import parse_bpmn
from app.engine.runtime import spec_form, spec_properties

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "app" / "static" / "build"
HARNESSES = ("modeler_harness.html", "diff_harness.html")
VIEWPORT = {"width": 1600, "height": 900}
COMPLAINT = (ROOT / "processes" / "complaint.bpmn").read_text(encoding="utf-8")
LANES = [
    {"name": "Intake", "label": "受理"},
    {"name": "Department", "label": "承办部门"},
    {"name": "DepartmentHead", "label": "部门负责人"},
    {"name": "Leadership", "label": "领导"},
    {"name": "Supervision", "label": "督办"},
]
FORMS = [
    {"id": path.stem, "title": yaml.safe_load(path.read_text(encoding="utf-8"))["title"]["zh"]}
    for path in sorted((ROOT / "forms").glob("*.yaml"))
]

CREATE = """async ([xml, locale, lanes, forms]) => {
  window.changes = [];
  window.editor = await MinyiModeler.create({container: '#canvas', panel: '#panel', xml, lanes, forms, locale});
  window.editor.on('changed', (event) => window.changes.push(event));
  return window.editor.warnings.map((warning) => warning.message);
}"""

CAMUNDA = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="http://example.org">
  <bpmn:process id="camunda_process" isExecutable="true">
    <bpmn:userTask id="check" name="Check 核查" camunda:formKey="complaint_triage" camunda:candidateGroups="intake">
      <bpmn:extensionElements>
        <camunda:properties><camunda:property name="due" value="working_days(5)" /></camunda:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="p" bpmnElement="camunda_process">
    <bpmndi:BPMNShape id="check_di" bpmnElement="check"><dc:Bounds x="100" y="100" width="100" height="80" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


@contextmanager
def serving_harness(tmp_path_factory):
    """The harness pages and the build on a static server on loopback; yields its base URL."""
    if not (BUILD / "minyi-modeler.js").exists() or not (BUILD / "minyi-diff.js").exists():
        pytest.fail(f"the workbench bundles are missing from {BUILD}: run scripts/setup")
    folder = tmp_path_factory.mktemp("harness")
    (folder / "build").symlink_to(BUILD, target_is_directory=True)
    for name in HARNESSES:
        (folder / name).write_text((Path(__file__).parent / name).read_text(encoding="utf-8"), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def modeler_page(page, base: str):
    """The modeler harness; yields open(xml=complaint, locale='zh') -> page, and fails on any page error."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size(VIEWPORT)
    page.goto(base + "/modeler_harness.html")

    def open_(xml=COMPLAINT, locale="zh"):
        warnings = page.evaluate(CREATE, [xml, locale, LANES, FORMS])
        assert warnings == []
        return page

    yield open_
    assert errors == []


def xml_of(page) -> str:
    return page.evaluate("window.editor.getXML()")


def wait_for_xml(page, text: str, present: bool = True) -> str:
    """The XML once the panel's debounced input has reached the model (or missed it for 5 seconds)."""
    for _ in range(50):
        xml = xml_of(page)
        if (text in xml) == present:
            return xml
        page.wait_for_timeout(100)
    return xml


def select(page, element_id: str) -> None:
    assert page.evaluate("(id) => window.editor.select(id)", element_id)
    settle(page)


def settle(page) -> None:
    """Until the panel has drawn the last change and listens to the next one (its effects run after a frame)."""
    page.evaluate("window.editor.settled()")


def field(page, entry_id: str):
    return page.locator(f"#bio-properties-panel-{entry_id}")


def task_settings(xml: str) -> dict:
    """What Minyi's engine reads from each user task: its form and its properties (parse + XSD validation)."""
    parsed = parse_bpmn(xml.encode("utf-8"), "process.bpmn")
    return {name: (spec_form(task), spec_properties(task)) for name, task in parsed.spec.task_specs.items() if task.manual}
