"""Fair acceptance (issue 23, item 4): an unrelated diagram that happens to share a process id (Camunda Modeler's
`Process_1`) is not silently made a version of the stored one; a file in another declared encoding is stored as
UTF-8."""

import io

from tests.unit.bpmn_factory import process


def _diagram(prefix: str, extra: str = "") -> bytes:
    return process(f'<bpmn:startEvent id="{prefix}_start"/>'
                   f'<bpmn:sequenceFlow id="{prefix}_f1" sourceRef="{prefix}_start" targetRef="{prefix}_task"/>'
                   f'<bpmn:userTask id="{prefix}_task" name="Task {prefix}"/>'
                   f'<bpmn:sequenceFlow id="{prefix}_f2" sourceRef="{prefix}_task" targetRef="{prefix}_end"/>'
                   f'<bpmn:endEvent id="{prefix}_end"/>{extra}', process_id="Process_1",
                   lanes={"Intake": [f"{prefix}_start", f"{prefix}_task", f"{prefix}_end"]})


def _upload(client, headers, xml, query=""):
    return client.post(f"/api/v1/processes{query}", data={"file": (io.BytesIO(xml), "diagram.bpmn")}, headers=headers,
                       content_type="multipart/form-data")


def test_an_unrelated_diagram_with_the_same_process_id_is_refused_until_confirmed(client, staff, app):
    owner = staff.headers("owner1")
    assert _upload(client, owner, _diagram("Activity_0a1")).status_code == 201
    stranger = _upload(client, owner, _diagram("Activity_1zz"))
    assert stranger.status_code == 409
    assert stranger.json["error"]["message"].startswith("process id 'Process_1' is already used by another process")
    assert "process" in stranger.json["error"]["details"]
    listed = client.get("/api/v1/processes", headers=owner).json["items"]
    assert [v["version"] for v in listed if v["key"] == "Process_1"] == [1]  # nothing stored
    edited = _diagram("Activity_0a1").replace(b"Task Activity_0a1", b"Task renamed")
    assert _upload(client, owner, edited).json["version"] == 2  # the same diagram, changed: a new version at once
    confirmed = _upload(client, owner, _diagram("Activity_1zz"), "?new_version=true")
    assert confirmed.status_code == 201 and confirmed.json["version"] == 3
    runner = app.test_cli_runner()
    other = _diagram("Activity_2yy")
    path = app.instance_path + "/other.bpmn"
    with open(path, "wb") as f:
        f.write(other)
    refused = runner.invoke(args=["processes", "deploy", path])
    assert refused.exit_code == 1 and "already used by another process" in refused.output
    assert runner.invoke(args=["processes", "deploy", "--new-version", path]).exit_code == 0


def test_a_gbk_file_is_stored_and_served_as_utf8(client, staff):
    owner = staff.headers("owner1")
    text = process('<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>'
                   '<bpmn:userTask id="t" name="核实情况"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>'
                   '<bpmn:endEvent id="e"/>', process_id="gbk_process").decode().replace('encoding="UTF-8"', 'encoding="GBK"')
    assert _upload(client, owner, text.encode("gbk")).status_code == 201
    served = client.get("/api/v1/processes/gbk_process/versions/1/bpmn", headers=owner)
    assert served.status_code == 200 and 'encoding="UTF-8"' in served.get_data(as_text=True)
    assert "核实情况" in served.data.decode("utf-8")
    for wrong, says in ((text.replace('encoding="GBK"', 'encoding="ASCII"').encode("gbk"),
                         "the file declares encoding ASCII but its bytes are not ASCII; save it as UTF-8"),
                        (text.replace('encoding="GBK"', 'encoding="ASCII"').encode("utf-8"),
                         "the file declares encoding ASCII but its bytes are UTF-8; change its declaration to UTF-8")):
        refused = _upload(client, owner, wrong)
        assert refused.status_code == 422 and refused.json["error"]["details"]["problems"][0]["message"] == says
