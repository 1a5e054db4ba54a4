"""The workbench's diff and migration pages: what changed, a dry run, moving the safe cases step by step, rollback."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Case, ProcessInstance
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, register
from tests.web.workbench_helpers import RENAMED, a_complaint, post_json, sign_in

LATER = RENAMED.replace('value="earliest(working_days(3), case_due)"', 'value="earliest(working_days(2), case_due)"', 1)


def version_of(number: str) -> int:
    db.session.expire_all()
    case = db.session.query(Case).filter_by(number=number).one()
    return db.session.query(ProcessInstance).filter_by(case_id=case.id).one().process_version.version


@pytest.fixture
def two_versions(owner, staff):
    waiting = register(owner, staff.headers("intake1"), a_complaint())["number"]  # on triage: unchanged in v2
    investigated = register(owner, staff.headers("intake1"), a_complaint())["number"]
    complete(owner, staff.headers("intake1"), investigated, TRIAGE_ACCEPT)  # now on investigate: renamed in v2
    assert LATER != RENAMED
    published = post_json(owner, "/workbench/processes/complaint/publish", {"xml": LATER, "activate": True})
    assert published.status_code == 201 and published.json["version"] == 2
    return waiting, investigated


def test_the_diff_page_lists_the_renamed_task_and_the_changed_clock(owner, two_versions):
    page = owner.get("/workbench/processes/complaint/diff?from=1&to=2").get_data(as_text=True)
    row = re.search(r'<tr data-element="investigate" class="diff-changed">(.*?)</tr>', page, re.S).group(1)
    assert "Investigate on site 现场调查核实" in row and 'data-attribute="name"' in row and "名称" in row
    assert re.search(r'<tr data-element="head_review" class="diff-changed">.*?data-attribute="due">办理时限', page, re.S)
    assert 'id="diff-old"' in page and "minyi-diff.js" in page
    assert "Changes" in owner.get("/workbench/processes/complaint").get_data(as_text=True) or \
        "改动" in owner.get("/workbench/processes/complaint").get_data(as_text=True)


def test_a_dry_run_then_moving_the_safe_cases_step_by_step_then_rolling_back(owner, two_versions):
    waiting, investigated = two_versions
    plan = owner.get("/workbench/processes/complaint/migrate?from=1&to=2").get_data(as_text=True)
    assert f'data-case="{waiting}" data-safe="yes"' in plan
    unsafe = re.search(rf'<tr data-case="{investigated}" data-safe="no">(.*?)</tr>', plan, re.S).group(1)
    assert "investigate" in unsafe.lower() and "不能安全迁移" in unsafe and "已修改（名称" in unsafe
    assert version_of(waiting) == 1  # a dry run moves nothing

    token = csrf_token(owner, "/workbench/processes/complaint/migrate?from=1&to=2")
    started = owner.post("/workbench/processes/complaint/migrate", data={"csrf_token": token, "from": "1", "to": "2"})
    assert started.status_code == 302
    migration_page = started.headers["Location"]
    migration_id = int(migration_page.rsplit("/", 1)[1])
    assert 'id="progress"' in owner.get(migration_page).get_data(as_text=True)
    while (step := post_json(owner, f"/workbench/migrations/{migration_id}/step", {})).json["status"] == "running":
        assert step.status_code == 200
    assert step.json == {"status": "completed", "total": 2, "pending": 0, "done": 2, "migrated": 1}
    assert (version_of(waiting), version_of(investigated)) == (2, 1)
    done = owner.get(migration_page).get_data(as_text=True)
    assert f'data-case="{waiting}" data-status="migrated"' in done and 'id="rollback"' in done
    assert f"#{migration_id}" in owner.get("/workbench/processes/complaint").get_data(as_text=True)

    rolled = owner.post(f"/workbench/migrations/{migration_id}/rollback", data={"csrf_token": token}, follow_redirects=True)
    assert f'data-case="{waiting}" data-status="rolled_back"' in rolled.get_data(as_text=True)
    assert version_of(waiting) == 1
    again = owner.post(f"/workbench/migrations/{migration_id}/rollback", data={"csrf_token": token}, follow_redirects=True)
    assert f"迁移 {migration_id} 已经回退" in again.get_data(as_text=True)


def test_bad_versions_are_refused_with_a_reason(owner, two_versions):
    # a version number missing or mistyped (the bare address too) goes back to the process's page, saying why
    for query, page, status, says in (("from=1", "diff", 302, "“to”必须是版本号"),
                                      ("", "migrate", 302, "“from”必须是版本号"),
                                      ("from=1&to=1", "diff", 422, "原版本与目标版本相同"),
                                      ("from=1&to=1", "migrate", 302, "原版本与目标版本相同"),
                                      ("from=1&to=9", "diff", 404, "complaint 的第 9 版不存在"),
                                      ("from=1&to=9", "migrate", 404, "complaint 的第 9 版不存在")):
        response = owner.get(f"/workbench/processes/complaint/{page}?{query}")
        assert response.status_code == status, (page, query)
        if status == 302:
            assert response.headers["Location"].endswith("/workbench/processes/complaint")
            response = owner.get(response.headers["Location"])
        assert says in response.get_data(as_text=True), (page, query)
    assert owner.post("/workbench/migrations/999/step", json={}, headers={"X-CSRFToken": csrf_token(owner, "/workbench")}
                      ).status_code == 404


def test_handlers_cannot_see_or_move_anything(app, owner):
    client = fresh_context_client(app)
    sign_in(client, "worker")
    for path in ("/workbench/processes/complaint/diff?from=1&to=2", "/workbench/processes/complaint/migrate?from=1&to=2",
                 "/workbench/migrations/1"):
        assert client.get(path).status_code == 403
