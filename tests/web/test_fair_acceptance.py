"""Fair acceptance (issue 23, item 4): a caller and the process it calls in one file run as one procedure; a file
with two unrelated processes is told which ones and what to do."""

import io

from tests.helpers import COMPLAINT, open_task
from tests.unit.bpmn_factory import HEADER, process

CALLER_AND_CALLEE = (HEADER + (
    '<bpmn:process id="help" name="Help request 求助" isExecutable="true">'
    '<bpmn:laneSet id="ls1"><bpmn:lane id="l1" name="Intake"><bpmn:flowNodeRef>start</bpmn:flowNodeRef>'
    '<bpmn:flowNodeRef>check</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
    '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>'
    '<bpmn:callActivity id="check" name="Check it" calledElement="help_check"/>'
    '<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/><bpmn:endEvent id="end"/></bpmn:process>'
    '<bpmn:process id="help_check" name="Check 核查" isExecutable="true">'
    '<bpmn:startEvent id="c_start"/><bpmn:sequenceFlow id="c1" sourceRef="c_start" targetRef="visit"/>'
    '<bpmn:userTask id="visit" name="Visit the place"/>'
    '<bpmn:sequenceFlow id="c2" sourceRef="visit" targetRef="c_end"/><bpmn:endEvent id="c_end"/></bpmn:process>'
    '</bpmn:definitions>')).encode()


def _dry_run(client, staff, xml):
    return client.post("/api/v1/processes?dry_run=true", data={"file": (io.BytesIO(xml), "help.bpmn")},
                       headers=staff.headers("owner1"), content_type="multipart/form-data")


def _upload(client, headers, xml):
    return client.post("/api/v1/processes?new_version=true", data={"file": (io.BytesIO(xml), "help.bpmn")},
                       headers=headers, content_type="multipart/form-data")


def test_a_caller_and_its_callee_in_one_file_run_as_one_procedure(client, staff, deployed):
    uploaded = _upload(client, staff.headers("owner1"), CALLER_AND_CALLEE)
    assert uploaded.status_code == 201 and uploaded.json["key"] == "help", uploaded.json
    clerk = staff.headers("intake1")
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
    visit = open_task(client, clerk, number)  # the callee's task, in the caller's lane
    assert visit["name"] == "visit" and visit["group"] == "intake"
    assert client.post(f"/api/v1/tasks/{visit['id']}/complete", json={}, headers=clerk).status_code == 200
    assert client.get(f"/api/v1/cases/{number}", headers=clerk).json["status"] == "closed"


def test_two_processes_neither_calling_the_other_are_refused_naming_both(client, staff, deployed):
    unrelated = CALLER_AND_CALLEE.replace(b'calledElement="help_check"', b'calledElement="elsewhere"')
    refused = _upload(client, staff.headers("owner1"), unrelated)
    assert refused.status_code == 422
    assert refused.json["error"]["details"]["problems"][0]["message"] == (
        "the file holds 2 executable processes that no call activity calls (help, help_check): a file holds the "
        "process its cases start and the processes it calls; put the others in their own files")


def test_lint_checks_every_expression_the_engine_will_run_and_says_everything_at_once(client, staff):
    """Issue 23, item 2: scripts, post-scripts, multi-instance collections, loop conditions and assignee expressions
    are checked against the data the process defines; unknown names and functions named on their elements."""
    xml = process(
        '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare"/>'
        '<bpmn:scriptTask id="prepare" name="Prepare"><bpmn:script>offices = ["ENV"]\nfee = amout * 2</bpmn:script>'
        '</bpmn:scriptTask><bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="each"/>'
        '<bpmn:userTask id="each" name="Each office" camunda:assignee="${reviewr}">'
        '<bpmn:extensionElements><spiffworkflow:postScript>note = summarise(offices)</spiffworkflow:postScript>'
        '</bpmn:extensionElements>'
        '<bpmn:multiInstanceLoopCharacteristics camunda:collection="ofices" camunda:elementVariable="office">'
        '<bpmn:completionCondition>finished_all</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>'
        '</bpmn:userTask><bpmn:sequenceFlow id="f3" sourceRef="each" targetRef="end"/><bpmn:endEvent id="end"/>',
        process_id="help")
    response = _dry_run(client, staff, xml)
    assert response.status_code == 422, response.json
    found = {(p["element"], p["message"].split(",")[0]) for p in response.json["error"]["details"]["problems"]}
    assert ("prepare", "script 'offices = [\"ENV\"]\nfee = amout * 2' uses 'amout'") in found
    assert ("each", "post-script 'note = summarise(offices)' calls 'summarise'") in {
        (e, m.split(", which")[0]) for e, m in found}
    texts = " ".join(m for _, m in found)
    assert "'ofices'" in texts and "'finished_all'" in texts and "'reviewr'" in texts


EACH_OFFICE = (HEADER + (
    '<bpmn:process id="help" isExecutable="true">'
    '<bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Intake">' + "".join(
        f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in ("start", "prepare", "each", "tally", "end")) +
    '</bpmn:lane></bpmn:laneSet>'
    '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare"/>'
    '<bpmn:scriptTask id="prepare" name="Prepare"><bpmn:script>offices = ["ENV", "HOUSING"]\ncount = 0</bpmn:script>'
    '</bpmn:scriptTask><bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="each"/>'
    '<bpmn:userTask id="each" name="Answer for each office" camunda:formKey="complaint_feedback">'
    '<bpmn:multiInstanceLoopCharacteristics isSequential="true">'
    '<bpmn:loopDataInputRef>offices</bpmn:loopDataInputRef><bpmn:loopDataOutputRef>answers</bpmn:loopDataOutputRef>'
    '<bpmn:inputDataItem id="office" name="office"/><bpmn:outputDataItem id="OUTPUT" name="OUTPUT"/>'
    '</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>'
    '<bpmn:sequenceFlow id="f3" sourceRef="each" targetRef="tally"/>'
    '<bpmn:scriptTask id="tally" name="Tally"><bpmn:standardLoopCharacteristics><bpmn:loopCondition>count &gt;= 3'
    '</bpmn:loopCondition></bpmn:standardLoopCharacteristics><bpmn:script>count = count + 1\n'
    'set_case(answer="; ".join(answers))</bpmn:script></bpmn:scriptTask>'
    '<bpmn:sequenceFlow id="f4" sourceRef="tally" targetRef="end"/><bpmn:endEvent id="end"/>'
    '</bpmn:process></bpmn:definitions>'))


def test_a_multi_instance_with_input_and_output_and_a_loop_run_to_the_end(client, staff, deployed):
    """Issue 23: each office's answer is collected; the loop runs until its condition; the case ends closed."""
    xml = EACH_OFFICE.replace("OUTPUT", "answer").encode()
    assert _upload(client, staff.headers("owner1"), xml).status_code == 201
    clerk = staff.headers("intake1")
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
    for office in ("ENV", "HOUSING"):
        task = open_task(client, clerk, number)
        done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=clerk,
                           json={"answer": f"{office} 已答复", "feedback_channel": "phone"})
        assert done.status_code == 200, done.json
    case = client.get(f"/api/v1/cases/{number}", headers=clerk).json
    assert case["status"] == "closed" and case["open_tasks"] == []


def test_an_output_item_no_instance_sets_is_refused_at_upload(client, staff, deployed):
    refused = _upload(client, staff.headers("owner1"), EACH_OFFICE.replace("OUTPUT", "reply").encode())
    assert refused.status_code == 422
    assert ("each", "the multi-instance's output item 'reply' is set by neither the step's form nor a script: no "
                    "instance could be completed; add a form field or a script that sets it, or remove the output") in {
        (p["element"], p["message"]) for p in refused.json["error"]["details"]["problems"]}


def test_a_file_off_the_bpmn_schema_is_told_every_place_on_its_element(client, staff):
    """The engine's own check names only the last schema error, on the file; each is said on its element here."""
    xml = (HEADER + (
        '<bpmn:process id="help" isExecutable="true">\n'
        '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>\n'
        '<bpmn:userTask id="check" name="Check"><bpmn:dataInputAssociation id="reads">'
        '<bpmn:sourceRef>ref</bpmn:sourceRef></bpmn:dataInputAssociation></bpmn:userTask>\n'
        '<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>\n'
        '<bpmn:endEvent id="end"><bpmn:colour>red</bpmn:colour></bpmn:endEvent>\n'
        '</bpmn:process></bpmn:definitions>')).encode()
    refused = _dry_run(client, staff, xml)
    assert refused.status_code == 422
    found = {p["element"]: p["message"] for p in refused.json["error"]["details"]["problems"]}
    assert set(found) == {"reads", "end"}, found
    assert found["reads"].startswith("data input association 'reads' does not follow the BPMN 2.0 schema (line 5)")
    assert "Expected is one of ( sourceRef, targetRef )" in found["reads"] and "{http" not in found["reads"]
    assert found["end"].startswith("end event 'end' does not follow the BPMN 2.0 schema (line 7): 'colour'")


def test_a_caller_uploaded_after_its_callee_runs_it(client, staff, deployed):
    """The callee in a file of its own, uploaded first (as spiff-example-cli and Camunda's examples come): the caller
    finds it among the deployed processes and calls it."""
    callee = CALLER_AND_CALLEE.split(b'<bpmn:process id="help_check"')[1]
    callee_file = (HEADER + '<bpmn:process id="help_check"').encode() + callee
    caller_file = CALLER_AND_CALLEE.split(b'<bpmn:process id="help_check"')[0] + b"</bpmn:definitions>"
    owner = staff.headers("owner1")
    refused = _upload(client, owner, caller_file)
    assert refused.status_code == 422 and "upload the called process first" in refused.json["error"]["details"][
        "problems"][0]["message"]
    assert _upload(client, owner, callee_file).status_code == 201
    uploaded = _upload(client, owner, caller_file)
    assert uploaded.status_code == 201, uploaded.json
    client.put("/api/v1/catalogue/help", json={"process": "help"}, headers=owner)
    clerk = staff.headers("intake1")
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
    visit = open_task(client, clerk, number)
    assert visit["name"] == "visit"
    assert client.post(f"/api/v1/tasks/{visit['id']}/complete", json={}, headers=clerk).status_code == 200
    assert client.get(f"/api/v1/cases/{number}", headers=clerk).json["status"] == "closed"


def test_a_script_that_deletes_or_updates_a_name_nothing_set_is_refused(client, staff):
    """A script is read in order: `del x` and `total = total + 1` need x and total already (SpiffWorkflow's own test
    process deletes a variable no one set: it linted clean, then every intake failed)."""
    xml = process(
        '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="s"/>'
        '<bpmn:scriptTask id="s" name="Create Data"><bpmn:script>my_var = "World"\ndel(remove_this_var)\n'
        'total = total + 1\nseen = 1\nseen = seen + 1</bpmn:script></bpmn:scriptTask>'
        '<bpmn:sequenceFlow id="f2" sourceRef="s" targetRef="t"/><bpmn:userTask id="t" name="Answer"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="t" targetRef="end"/><bpmn:endEvent id="end"/>', process_id="help")
    refused = _dry_run(client, staff, xml)
    assert refused.status_code == 422
    messages = [p["message"] for p in refused.json["error"]["details"]["problems"] if p["element"] == "s"]
    assert any("uses 'remove_this_var', which no form, script or the start data provides" in m for m in messages)
    assert any("reads 'total' before it sets it, and no form, other script or the start data provides it" in m
               for m in messages)
    assert not any("'seen'" in m for m in messages), messages


def test_a_decision_table_task_and_a_complex_gateway_are_refused_saying_what_to_draw(client, staff):
    xml = process(
        '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="price"/>'
        '<bpmn:businessRuleTask id="price" name="Look up the price" camunda:decisionRef="product_prices"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="price" targetRef="gw"/><bpmn:complexGateway id="gw" name="Enough?"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="end"/><bpmn:endEvent id="end"/>', process_id="help")
    refused = _dry_run(client, staff, xml)
    assert refused.status_code == 422
    found = {p["element"]: p["message"] for p in refused.json["error"]["details"]["problems"]}
    assert found["price"].startswith("business rule task 'Look up the price': decision tables (DMN) are not run here")
    assert found["gw"].startswith("complex gateway 'Enough?': a complex gateway cannot run here; use an inclusive")
