"""Every staff page and /track in Chinese, with realistic data: no English sentence and no raw code (status, action,
lane, group, task id) that is not data somebody typed. The text a user reads — the page's text, its buttons, its
options, its labels — is taken from the HTML; each Latin word in it must be one a Chinese office writes as is."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.cases.people.users import create_user
from tests.helpers import (
    ANSWER,
    APPROVE,
    INVESTIGATION,
    TRIAGE_ACCEPT,
    complete,
    csrf_token,
    fresh_context_client,
    open_task,
    register,
)

PASSWORD = "a-long-enough-pass"
ROOT = Path(__file__).resolve().parents[2]
# Latin words a Chinese page may show: formats, standards and units, and the product's own name
ALLOWED = {"PDF", "PNG", "JPEG", "TXT", "DOCX", "XLSX", "MiB", "KiB", "BPMN", "YAML", "API", "English", "Open311",
           "Minyi", "ID", "ISO", "v"}
PEOPLE = {"zh_intake": ("intake", None, "王受理"), "zh_handler": ("handler", "ENV", "李承办"),
          "zh_head": ("head", "ENV", "周科长"), "zh_super": ("supervisor", None, "孙督办"),
          "zh_leader": ("leader", None, "钱领导"), "zh_owner": ("owner", None, "吴流程"),
          "zh_analyst": ("analyst", None, "郑分析"), "zh_admin": ("admin", None, "冯管理")}


class _Visible(HTMLParser):
    """The text a reader meets: element text, button and option texts, labels, alt/title/placeholder/aria-label."""

    SKIP = {"script", "style", "template", "textarea", "code"}  # <code>: a command or identifier, verbatim
    ATTRS = ("alt", "title", "placeholder", "aria-label")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button"):
                self.parts.append(value or "")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def latin_words(html: str, typed: set[str]) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for word in re.findall(r"[A-Za-z][A-Za-z0-9_@.:'-]*[A-Za-z0-9]|[A-Za-z]", part):
            if word in ALLOWED or word in typed or re.fullmatch(r"[a-z]|v\d+", word):
                continue
            found.append(f"{word!r} in {part[:80]!r}")
    return found


@pytest.fixture
def office(app, client, staff, deployed, complaint):
    """A case of every stage: waiting at triage, in investigation, at the head, answered, rated and closed."""
    for username, (role, department, name) in PEOPLE.items():
        create_user(username, [role], department, password=PASSWORD, display_name=name)
    cases = {}
    for stage, label in (("triage", "待受理"), ("investigate", "调查中"), ("head_review", "待审核"), ("answered", "已答复"),
                         ("closed", "已办结")):
        created = register(client, staff.headers("intake1"), dict(complaint, title=f"夜间施工噪音（{label}）"))
        number = created["number"]
        steps = [("intake1", TRIAGE_ACCEPT), ("handler1", INVESTIGATION), ("head1", APPROVE), ("handler1", ANSWER)]
        upto = {"triage": 0, "investigate": 1, "head_review": 2, "answered": 4, "closed": 4}[stage]
        for who, data in steps[:upto]:
            complete(client, staff.headers(who), number, data)
        if stage == "closed":
            client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": created["access_code"], "score": 4})
        cases[stage] = (number, created["access_code"])
    return cases


def _typed() -> set[str]:
    """What people typed: user names (accounts are named in Latin letters), and on the process owners' workbench the
    identifiers they give processes and forms, their files, the tools they model with and BPMN's own element names."""
    typed = {*PEOPLE, "intake1", "handler1", "handler2", "housing1", "head1", "leader1", "super1", "owner1", "analyst1"}
    typed |= {p.stem for p in (ROOT / "processes").glob("*.bpmn")} | {p.stem for p in (ROOT / "forms").glob("*.yaml")}
    typed |= {f"{p.stem}.yaml" for p in (ROOT / "forms").glob("*.yaml")}
    return typed | {"forms", "bpmn", "Camunda", "Modeler", "bpmn-js", "test", "bpmn:process", "bpmn:definitions"}


def _signed_in(app, username):
    page = fresh_context_client(app)
    page.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(page)})
    return page


def test_every_staff_page_and_track_speak_chinese(app, client, staff, office):
    typed = _typed()
    pages: list[tuple[str, str, str]] = []  # (who, path, html)
    for username in PEOPLE:
        page = _signed_in(app, username)
        for path in ("/inbox", "/intake", "/supervision", "/supervision/workload", "/supervision/notices", "/notifications",
                     "/workbench", "/workbench/forms", "/workbench/processes/complaint", "/system"):
            response = page.get(path)
            if response.status_code == 200:
                pages.append((username, path, response.get_data(as_text=True)))
        for stage, (number, _code) in office.items():
            response = page.get(f"/cases/{number}")
            if response.status_code == 200:
                pages.append((username, f"/cases/{number} ({stage})", response.get_data(as_text=True)))
    handler = _signed_in(app, "zh_handler")
    for stage in ("investigate",):
        task = open_task(client, staff.headers("handler1"), office[stage][0])
        pages.append(("zh_handler", f"/tasks ({stage})", handler.get(f"/tasks/{task['id']}").get_data(as_text=True)))
    head = _signed_in(app, "zh_head")
    task = open_task(client, staff.headers("head1"), office["head_review"][0])
    pages.append(("zh_head", "/tasks (head_review)", head.get(f"/tasks/{task['id']}").get_data(as_text=True)))
    public = fresh_context_client(app)
    for stage in ("answered", "closed"):
        number, code = office[stage]
        html = public.post("/track", data={"number": number, "access_code": code,
                                           "csrf_token": csrf_token(public, "/track")}).get_data(as_text=True)
        pages.append(("petitioner", f"/track ({stage})", html))
    problems = [f"{who} {path}: {word}" for who, path, html in pages for word in latin_words(html, typed)]
    assert len(pages) > 40
    assert problems == [], "\n".join(sorted(set(problems))[:80])


def _followed(page, path, data, form_page):
    response = page.post(path, data={**data, "csrf_token": csrf_token(page, form_page)}, follow_redirects=True)
    return response.get_data(as_text=True)


def test_the_errors_people_meet_speak_chinese(app, client, staff, office):
    """What a refused action tells its user, in Chinese: the services' own messages and marshmallow's, translated."""
    typed = _typed() | {"exe"}  # the name of the file somebody tried to attach
    seen: list[tuple[str, str]] = []
    intake = _signed_in(app, "zh_intake")
    bad = intake.post("/intake", data={"category": "complaint", "channel": "letter", "title": " ", "description": "x" * 20001,
                                       "petitioner_name": "李四", "petitioner_phone": "12", "received_at": "2099-01-01T09:00",
                                       "csrf_token": csrf_token(intake, "/intake")})
    assert bad.status_code == 422
    seen.append(("intake with bad fields", bad.get_data(as_text=True)))
    forged = intake.post("/intake", data={"title": "x"})
    assert forged.status_code == 400
    seen.append(("form without its token", forged.get_data(as_text=True)))
    number = office["investigate"][0]
    handler = _signed_in(app, "zh_handler")
    task = open_task(client, staff.headers("handler1"), number)
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("handler1")).status_code == 200
    seen.append(("claim of a claimed task", _followed(handler, f"/tasks/{task['id']}/claim", {}, "/inbox")))
    upload = handler.post(f"/cases/{number}/attachments", data={
        "file": (io.BytesIO(b"MZ\x90\x00\x03\x00\x00\x00"), "setup.exe"),
        "csrf_token": csrf_token(handler, f"/cases/{number}")}, follow_redirects=True)
    seen.append(("an executable attached", upload.get_data(as_text=True)))
    supervisor = _signed_in(app, "zh_super")
    seen.append(("a notice due in the past", _followed(supervisor, "/supervision/notices", {
        "case": number, "message": "请尽快办理", "reply_by": "2020-01-01T09:00"}, "/supervision")))
    owner = _signed_in(app, "zh_owner")
    not_bpmn = owner.post("/workbench/upload", data={"file": (io.BytesIO(b"<html>not a diagram</html>"), "x.bpmn"),
                                                     "csrf_token": csrf_token(owner, "/workbench")}, follow_redirects=True)
    seen.append(("a file that is not BPMN", not_bpmn.get_data(as_text=True)))
    public = fresh_context_client(app)
    triage_number, triage_code = office["triage"]
    seen.append(("a review before the answer", public.post("/track/review", data={
        "number": triage_number, "access_code": triage_code, "reason": "不满意",
        "csrf_token": csrf_token(public, "/track")}).get_data(as_text=True)))
    for what, html in seen:
        assert re.search(r'role="alert"|class="flash|class="error', html), what
    problems = [f"{what}: {word}" for what, html in seen for word in latin_words(html, typed)]
    assert problems == [], "\n".join(problems)
    said = dict(seen)
    for what, chinese in (("intake with bad fields", "请输入 1 到 200 个字符"), ("intake with bad fields", "请输入 1 到 20000 个字符"),
                          ("form without its token", "表单已过期"),
                          ("claim of a claimed task", "已被 handler1 领取"), ("an executable attached", "不能上传"),
                          ("a notice due in the past", "回复期限已过"), ("a file that is not BPMN", "不是 BPMN 流程图"),
                          ("a review before the answer", "答复后才能申请复查")):
        assert chinese in said[what], (what, chinese, re.findall(r'role="alert"[^>]*>([^<]*)<', said[what]))


def test_an_urgent_incident_speaks_chinese_to_leadership_and_to_the_petitioner(app, client, staff, deployed, frozen):
    """A level I incident: the leader's alert, the interim statement on /track, in Chinese."""
    from tests.helpers import CONFIRM, INCIDENT, fill

    create_user("zh_leader", ["leader"], None, password=PASSWORD, display_name="钱领导")
    case = register(client, staff.headers("intake1"), INCIDENT)
    number = case["number"]
    fill(client, staff.headers("intake1"), number, CONFIRM, "triage")
    fill(client, staff.headers("super1"), number, {"level": "I", "scope": "全国用户", "risk": "媒体跟进报道"}, "assess")
    fill(client, staff.headers("leader1"), number, {"department_1": "ENV", "instructions": "立即核实"}, "dispatch")
    fill(client, staff.headers("super1"), number, {"interim_statement": "已关注到相关反映，正在核查。"}, "statement")
    leader = _signed_in(app, "zh_leader")
    notes = leader.get("/notifications").get_data(as_text=True)
    assert "紧急：请立即办理" in notes and f"{number}: 指令下达" in notes
    public = fresh_context_client(app)
    track = public.post("/track", data={"number": number, "access_code": case["access_code"],
                                        "csrf_token": csrf_token(public, "/track")}).get_data(as_text=True)
    assert "已发布的通报" in track and "已关注到相关反映，正在核查。" in track
    problems = [f"{where}: {word}" for where, html in (("notifications", notes), ("track", track))
                for word in latin_words(html, _typed())]
    assert problems == [], "\n".join(problems)


def test_the_check_finds_english_on_a_page():
    assert latin_words("<p>Length must be between 1 and 20000.</p><button>提交</button>", set()) != []
    assert latin_words("<p>领取环节 triage</p>", set()) == ["'triage' in '领取环节 triage'"]
    assert latin_words("<p>上传 PDF（不超过 10 MiB）</p>", set()) == []
