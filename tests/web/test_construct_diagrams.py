"""Each construct diagram (tests/constructs.py) lints clean through the API, deploys, and runs to the end: every open
task completed by the person whose inbox it is in, a message sent when the process waits for one (issue 23)."""

import io
import re
from datetime import timedelta

import pytest

from app import clock
from tests.constructs import CONSTRUCTS, laid_out
from tests.helpers import COMPLAINT

# who may hold a construct's tasks: the default group (intake) and the case's department
PEOPLE = ("intake1", "handler1")


def _messages(xml: bytes) -> list[str]:
    return re.findall(rb'<bpmn:message id="[^"]+" name="([^"]+)"', xml)


def _drive(client, staff, number: str, xml: bytes) -> list[tuple[str, str, str | None, str]]:
    """Until the case closes: complete an open task (as the one whose inbox holds it), else send a message the
    process waits for. Returns (task, group, assignee, who completed) in order."""
    done, watcher = [], staff.headers("super1")
    for _ in range(40):
        if client.get(f"/api/v1/cases/{number}", headers=watcher).json["status"] == "closed":
            return done
        for person in PEOPLE:
            headers = staff.headers(person)
            items = [t for scope in ("mine", "group")
                     for t in client.get(f"/api/v1/tasks?scope={scope}&per_page=200", headers=headers).json["items"]
                     if t["case_number"] == number]
            if items:
                task = items[0]
                response = client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=headers)
                assert response.status_code == 200, (task, response.json)
                done.append((task["name"], task["group"], task["assignee"], person))
                break
        else:
            sent = [client.post(f"/api/v1/cases/{number}/events/{name.decode()}", json={}, headers=watcher).status_code
                    for name in _messages(xml)]
            assert 200 in sent, f"the case waits with no task and no message it takes: {done}"
    raise AssertionError(f"case {number} did not close: {done}")


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_each_construct_lints_clean_deploys_and_runs_to_the_end(client, staff, deployed, name):
    owner, clerk = staff.headers("owner1"), staff.headers("intake1")
    xml = laid_out(CONSTRUCTS[name])
    linted = client.post("/api/v1/processes?dry_run=true", headers=owner, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(xml), "help.bpmn")})
    assert linted.status_code == 200 and linted.json["problems"] == [], linted.json
    deployed_ = client.post("/api/v1/processes?new_version=true", headers=owner, content_type="multipart/form-data",
                            data={"file": (io.BytesIO(xml), "help.bpmn")})
    assert deployed_.status_code == 201, deployed_.json
    registered = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk)
    assert registered.status_code == 201, registered.json
    done = _drive(client, staff, registered.json["number"], xml)
    if name.startswith("candidate groups"):
        # the assignee expression named intake1; the single candidate user claims the review for them
        assert done == [("check", "intake", "intake1", "intake1"), ("review", "handler", "intake1", "intake1")]
    if name.startswith("multi-instance over"):
        assert [task for task, *_ in done] == ["each", "each"]
    if name.startswith("a lane"):
        assert done == [("t", "intake", None, "intake1")]  # the lane Intake maps to the intake group


def test_timers_on_a_subprocess_and_inside_it_fire_like_any_other(app, client, staff, deployed, frozen):
    """Issue 23, item 3: a boundary timer on a subprocess, and an intermediate timer within one, are in the timer
    table and fire when due."""
    owner, clerk, runner = staff.headers("owner1"), staff.headers("intake1"), app.test_cli_runner()
    inner = CONSTRUCTS["an embedded subprocess with a timer on it"].replace(
        b'<bpmn:userTask id="go" name="Go there"/>',
        b'<bpmn:intermediateCatchEvent id="go" name="A day"><bpmn:timerEventDefinition><bpmn:timeDuration>"P1D"'
        b'</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')
    for xml, days, answer in ((CONSTRUCTS["an embedded subprocess with a timer on it"], 8, "done"), (inner, 2, None)):
        deployed_ = client.post("/api/v1/processes?new_version=true", headers=owner, content_type="multipart/form-data",
                                data={"file": (io.BytesIO(laid_out(xml)), "help.bpmn")})
        assert deployed_.status_code == 201, deployed_.json
        number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
        clock.advance(timedelta(days=days))
        fired = runner.invoke(args=["timers", "run-due"])
        assert fired.exit_code == 0, fired.output
        case = client.get(f"/api/v1/cases/{number}", headers=clerk).json
        assert case["status"] == "closed" and case["open_tasks"] == [], (days, case)
        assert case.get("answer") == answer
