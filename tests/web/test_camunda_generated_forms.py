"""A Camunda 7 diagram with generated task forms (`camunda:formData`) and JUEL conditions runs as it is (issue 23, fair
acceptance): each form field becomes a field of the task's form, its constraints checked on completion, its value in
the data the gateways read, and a `${...}` condition that means the same in Python is read as Python; what the forms
here cannot hold, or JUEL that Python reads otherwise, is refused at upload on its element, saying what to use."""

import io

from tests.helpers import COMPLAINT, csrf_token, fresh_context_client, open_task
from tests.unit.bpmn_factory import process

PASSWORD = "a-long-enough-pass"
FORM_DATA = (
    '<bpmn:extensionElements><camunda:formData>'
    '<camunda:formField id="approved" label="Approved? 同意吗" type="boolean"/>'
    '<camunda:formField id="amount" label="Amount 金额" type="long"><camunda:validation>'
    '<camunda:constraint name="required"/><camunda:constraint name="min" config="1"/>'
    '<camunda:constraint name="max" config="5000"/></camunda:validation></camunda:formField>'
    '<camunda:formField id="how" label="Paid by 支付方式" type="enum">'
    '<camunda:value id="cash" name="Cash 现金"/><camunda:value id="transfer" name="Transfer 转账"/></camunda:formField>'
    '<camunda:formField id="reference" label="Reference" type="string"><camunda:validation>'
    '<camunda:constraint name="readonly"/></camunda:validation></camunda:formField>'
    '</camunda:formData></bpmn:extensionElements>')


def _diagram(form_data: str = FORM_DATA, condition: str = 'approved and how == "transfer"') -> bytes:
    return process(
        '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>'
        f'<bpmn:userTask id="review" name="Review the claim 审核" camunda:candidateGroups="intake">{form_data}'
        '</bpmn:userTask><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="gw"/>'
        '<bpmn:exclusiveGateway id="gw" default="f_no"/>'
        '<bpmn:sequenceFlow id="f_yes" sourceRef="gw" targetRef="pay">'
        f'<bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>'
        '<bpmn:sequenceFlow id="f_no" sourceRef="gw" targetRef="refuse"/>'
        '<bpmn:userTask id="pay" name="Pay"/><bpmn:sequenceFlow id="f3" sourceRef="pay" targetRef="end"/>'
        '<bpmn:userTask id="refuse" name="Refuse"/><bpmn:sequenceFlow id="f4" sourceRef="refuse" targetRef="end"/>'
        '<bpmn:endEvent id="end"/>', process_id="help")


def _upload(client, staff, xml):
    return client.post("/api/v1/processes?new_version=true", headers=staff.headers("owner1"),
                       content_type="multipart/form-data", data={"file": (io.BytesIO(xml), "help.bpmn")})


def test_the_generated_form_is_the_tasks_form_and_its_answers_steer_the_case(client, staff, deployed):
    assert _upload(client, staff, _diagram()).status_code == 201
    clerk = staff.headers("intake1")
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
    task = client.get(f"/api/v1/tasks/{open_task(client, clerk, number)['id']}", headers=clerk).json
    fields = {f["name"]: f for f in task["form"]["fields"]}
    assert task["form"]["id"] == "review.form" and list(fields) == ["approved", "amount", "how"]  # readonly left out
    assert (fields["amount"]["type"], fields["amount"]["required"], fields["amount"]["min"], fields["amount"]["max"]) \
        == ("integer", True, 1, 5000)
    assert fields["approved"]["type"] == "boolean" and fields["how"]["type"] == "choice"
    assert [c["value"] for c in fields["how"]["choices"]] == ["cash", "transfer"]

    refused = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=clerk,
                          json={"approved": True, "amount": 0, "how": "cheque"})
    assert refused.status_code == 422 and {"amount", "how"} <= set(refused.json["error"]["details"])
    assert open_task(client, clerk, number)["id"] == task["id"]  # nothing changed
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=clerk,
                       json={"approved": True, "amount": 120, "how": "transfer"})
    assert done.status_code == 200, done.json
    assert [t["name"] for t in done.json["next_tasks"]] == ["pay"]


def test_the_task_page_shows_the_generated_form_in_the_pages_language(app, client, staff, deployed):
    from app.cases.people.users import create_user

    create_user("desk_clerk", ["intake"], password=PASSWORD, display_name="钱受理")
    assert _upload(client, staff, _diagram()).status_code == 201
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=staff.headers("intake1")).json["number"]
    task_id = open_task(client, staff.headers("intake1"), number)["id"]
    browser = fresh_context_client(app)
    browser.post("/login", data={"username": "desk_clerk", "password": PASSWORD, "csrf_token": csrf_token(browser)})
    page = browser.get(f"/tasks/{task_id}").get_data(as_text=True)
    for text in ("审核", "同意吗", "金额", "支付方式", "转账"):
        assert text in page, text
    assert "Reference" not in page


def test_what_a_generated_form_cannot_hold_is_refused_on_its_task_with_what_to_use(client, staff, deployed):
    odd = FORM_DATA.replace('type="long"', 'type="customMoney"').replace(
        '<camunda:constraint name="readonly"/>', '<camunda:constraint name="validator" config="${checker}"/>')
    refused = _upload(client, staff, _diagram(odd))
    assert refused.status_code == 422
    problems = refused.json["error"]["details"]["problems"]
    assert [p["element"] for p in problems] == ["review", "review"]
    assert "type 'customMoney'" in problems[0]["message"] and "use string, long, boolean, date or enum" in problems[0]["message"]
    assert "constraint 'validator'" in problems[1]["message"] and "maxlength" in problems[1]["message"]


def test_a_camunda_diagram_with_juel_conditions_runs_and_juel_python_reads_otherwise_is_refused(client, staff, deployed):
    juel = "${approved &amp;&amp; how eq 'transfer' &amp;&amp; !(amount gt 4000)}"
    assert _upload(client, staff, _diagram(condition=juel)).status_code == 201
    clerk = staff.headers("intake1")
    paths = []
    for answer in ({"approved": True, "amount": 10, "how": "transfer"}, {"approved": False, "amount": 10, "how": "transfer"}):
        number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
        done = client.post(f"/api/v1/tasks/{open_task(client, clerk, number)['id']}/complete", headers=clerk, json=answer)
        assert done.status_code == 200, done.json
        paths.append([t["name"] for t in done.json["next_tasks"]])
    assert paths == [["pay"], ["refuse"]]
    stored = client.get("/api/v1/processes/help/versions/2/bpmn", headers=staff.headers("owner1"))
    assert stored.status_code == 200 and "${approved &amp;&amp;" in stored.get_data(as_text=True)  # kept as drawn

    refused = _upload(client, staff, _diagram(condition="${execution.getVariable('approved')}"))
    assert refused.status_code == 422
    [problem] = refused.json["error"]["details"]["problems"]
    assert problem["element"] == "gw" and "Python reads otherwise" in problem["message"]


def test_a_named_form_made_here_wins_and_a_name_nothing_holds_takes_the_declared_fields(client, staff, deployed):
    clerk = staff.headers("intake1")

    def form_of_first_task(xml):
        assert _upload(client, staff, xml).status_code == 201
        number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
        return client.get(f"/api/v1/tasks/{open_task(client, clerk, number)['id']}", headers=clerk).json["form"]

    named = _diagram().replace(b'camunda:candidateGroups="intake">', b'camunda:candidateGroups="intake" camunda:formKey="ClaimForm">')
    form = form_of_first_task(named)  # as SpiffWorkflow's Camunda-era diagrams write it: a name and the fields
    assert form["id"] == "ClaimForm" and [f["name"] for f in form["fields"]] == ["approved", "amount", "how"]
    with_own = _diagram(condition="triage_decision == 'accept'").replace(
        b'camunda:candidateGroups="intake">', b'camunda:candidateGroups="intake" camunda:formKey="help_triage">')
    form = form_of_first_task(with_own)  # the form made here is the task's form, its declared fields not read
    assert form["id"] == "help_triage" and "approved" not in [f["name"] for f in form["fields"]]


def test_two_tasks_declaring_different_fields_for_one_form_name_are_refused(client, staff, deployed):
    other = FORM_DATA.replace('id="amount"', 'id="sum"')
    xml = process(
        '<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="one"/>'
        f'<bpmn:userTask id="one" name="One" camunda:formKey="ClaimForm">{FORM_DATA}</bpmn:userTask>'
        '<bpmn:sequenceFlow id="f2" sourceRef="one" targetRef="two"/>'
        f'<bpmn:userTask id="two" name="Two" camunda:formKey="ClaimForm">{other}</bpmn:userTask>'
        '<bpmn:sequenceFlow id="f3" sourceRef="two" targetRef="end"/><bpmn:endEvent id="end"/>', process_id="help")
    refused = _upload(client, staff, xml)
    assert refused.status_code == 422
    [problem] = refused.json["error"]["details"]["problems"]
    assert problem["element"] == "two" and "different fields for the form 'ClaimForm'" in problem["message"]
