"""One lint (issue 23, item 2): the command line, the API's dry run and the workbench's Check find the same problems
and warnings in the same files, each named on its element."""

import io

from app.cases.people.users import create_user
from tests.helpers import csrf_token, fresh_context_client
from tests.unit.bpmn_factory import process

PASSWORD = "a-long-enough-pass"
FILES = {
    "clean": process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>'
                     '<bpmn:userTask id="t" name="Answer"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>'
                     '<bpmn:endEvent id="end"/>', process_id="help"),
    "unmapped": process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>'
                        '<bpmn:userTask id="t" name="Answer" camunda:candidateGroups="Finance"/>'
                        '<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/><bpmn:endEvent id="end"/>',
                        process_id="help"),
    "misspelt": process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="s"/>'
                        '<bpmn:scriptTask id="s" name="Work out"><bpmn:script>fee = amout * 2</bpmn:script></bpmn:scriptTask>'
                        '<bpmn:sequenceFlow id="f2" sourceRef="s" targetRef="t"/><bpmn:userTask id="t" name="Answer"/>'
                        '<bpmn:sequenceFlow id="f3" sourceRef="t" targetRef="end"/><bpmn:endEvent id="end"/>'
                        '<bpmn:startEvent id="late" name="Reply"><bpmn:messageEventDefinition id="md"/></bpmn:startEvent>'
                        '<bpmn:sequenceFlow id="f4" sourceRef="late" targetRef="t"/>', process_id="help"),
    # runs, but one way closes a case nobody answered and another waits for a message with no timer beside it
    "unseen": process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/>'
                      '<bpmn:exclusiveGateway id="gw" name="Known caller?" default="f3"/>'
                      '<bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="note">'
                      '<bpmn:conditionExpression>channel == "app"</bpmn:conditionExpression></bpmn:sequenceFlow>'
                      '<bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="wait"/>'
                      '<bpmn:scriptTask id="note" name="Note it"><bpmn:script>noted = True</bpmn:script></bpmn:scriptTask>'
                      '<bpmn:sequenceFlow id="f4" sourceRef="note" targetRef="quiet_end"/><bpmn:endEvent id="quiet_end"/>'
                      '<bpmn:intermediateCatchEvent id="wait" name="Papers arrive"><bpmn:messageEventDefinition '
                      'id="md" messageRef="m1"/></bpmn:intermediateCatchEvent>'
                      '<bpmn:sequenceFlow id="f5" sourceRef="wait" targetRef="t"/><bpmn:userTask id="t" name="Answer"/>'
                      '<bpmn:sequenceFlow id="f6" sourceRef="t" targetRef="end"/><bpmn:endEvent id="end"/>',
                      process_id="help").replace(b"<bpmn:process", b'<bpmn:message id="m1" name="papers"/><bpmn:process'),
}


def test_the_cli_the_api_and_the_workbench_agree_on_every_file(app, client, staff, deployed, tmp_path):
    create_user("lint_owner", ["owner"], password=PASSWORD)
    page = fresh_context_client(app)
    page.post("/login", data={"username": "lint_owner", "password": PASSWORD, "csrf_token": csrf_token(page)})
    page.post("/language", data={"lang": "en", "csrf_token": csrf_token(page, "/workbench")})  # the CLI's language
    runner = app.test_cli_runner()
    seen = {}
    for name, xml in FILES.items():
        path = tmp_path / "help.bpmn"
        path.write_bytes(xml)
        cli = runner.invoke(args=["processes", "lint", str(path)])
        lines = [line.strip() for line in cli.output.splitlines() if line.startswith("  ")]
        from_cli = sorted(tuple(line.split(": ", 1)) for line in lines if not line.startswith("warning: "))
        warned_cli = sorted(tuple(line.removeprefix("warning: ").split(": ", 1)) for line in lines if line.startswith("warning: "))
        api = client.post("/api/v1/processes?dry_run=true", data={"file": (io.BytesIO(xml), "help.bpmn")},
                          headers=staff.headers("owner1"), content_type="multipart/form-data")
        from_api = sorted((p["element"], p["message"]) for p in (api.json.get("error") or {}).get("details", {}).get(
            "problems", []))
        checked = page.post("/workbench/processes/help/check", json={"xml": xml.decode()},
                            headers={"X-CSRFToken": csrf_token(page, "/workbench")})
        assert checked.status_code == 200, checked.get_data(as_text=True)[:300]
        from_workbench = sorted((p["element"], p["message"]) for p in checked.json["problems"])
        assert from_cli == from_api == from_workbench, name
        warned_api = sorted((w["element"], w["message"]) for w in api.json.get("warnings", []))
        warned_workbench = sorted((w["element"], w["message"]) for w in checked.json["warnings"])
        assert warned_cli == warned_api == warned_workbench, name
        assert (cli.exit_code == 0) == (api.status_code == 200) == (from_workbench == [])
        seen[name] = {element for element, _ in from_cli} | {f"warning {element}" for element, _ in warned_cli}
    assert seen == {"clean": set(), "unmapped": {"t"}, "misspelt": {"s", "late"},
                    "unseen": {"warning quiet_end", "warning wait"}}
