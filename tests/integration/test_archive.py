"""Retention and archive: closed cases past their retention period go to a verified, self-describing file and come
back row for row (every table, on SQLite and PostgreSQL); open cases and cases within their retention stay; a damaged
file restores nothing."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from app.extensions import db
from app.models import Case
from tests.helpers import TRIAGE_ACCEPT, complete, drive_to_answer, register, table_rows

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def office(app, client, staff, deployed, complaint, tmp_path, monkeypatch):
    """Two closed cases (one with an attachment), one rejected, one still being handled."""
    monkeypatch.setitem(app.config, "MINYI_ATTACHMENTS_DIR", str(tmp_path / "files"))
    clerk = staff.headers("intake1")
    made = {}
    for name in ("closed", "closed_with_file", "open"):
        created = register(client, clerk, dict(complaint, title=f"夜间施工噪音 {name}"))
        made[name] = created["number"]
        if name != "open":
            drive_to_answer(client, staff, created["number"])
            if name == "closed_with_file":
                upload = client.post(f"/api/v1/cases/{created['number']}/attachments", headers=staff.headers("handler1"),
                                     data={"file": (io.BytesIO(PDF), "现场.pdf")}, content_type="multipart/form-data")
                assert upload.status_code == 201, upload.json
            rated = client.post(f"/api/v1/public/cases/{created['number']}/rating",
                                json={"access_code": created["access_code"], "score": 5})
            assert rated.status_code == 200
        else:
            complete(client, clerk, created["number"], TRIAGE_ACCEPT)
    rejected = register(client, clerk, dict(complaint, title="不属受理范围"))["number"]
    complete(client, clerk, rejected, {"triage_decision": "reject", "reject_reason": "不属于本单位职责"})
    made["rejected"] = rejected
    statuses = {n: db.session.scalar(db.select(Case.status).where(Case.number == n)) for n in made.values()}
    assert sorted(statuses.values()) == ["closed", "closed", "handling", "rejected"]
    return made


def test_archive_then_restore_gives_back_every_row_and_file(app, runner, office, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_RETENTION_YEARS", 0)
    before = table_rows(db.engine)
    archive = tmp_path / "cases.minyi.tar.gz"
    tomorrow = (db.session.scalar(db.select(db.func.max(Case.closed_at)))).date().replace(year=2100)
    done = runner.invoke(args=["archive", "--before", tomorrow.isoformat(), "--out", str(archive)])
    assert done.exit_code == 0, done.output
    assert "3 cases and 1 files archived" in done.output
    left = [n for (n,) in db.session.execute(db.select(Case.number))]
    assert left == [office["open"]]  # the open case stays
    assert not list((tmp_path / "files").rglob("*.*")) and not any(p.is_file() for p in (tmp_path / "files").rglob("*"))

    with tarfile.open(archive, "r:gz") as tar:  # self-describing
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        readme = tar.extractfile("README.txt").read().decode()
    assert {"README.txt", "cases.jsonl", "manifest.json"} <= set(names) and any(n.startswith("files/") for n in names)
    assert manifest["cases"] == 3 and "ledger_entry" in manifest["tables"] and "minyi archive restore" in readme
    assert manifest["tables"]["ledger_entry"]["belongs_to"] == "case"

    restored = runner.invoke(args=["archive", "restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "3 cases and 1 files restored" in restored.output
    db.session.expire_all()
    assert table_rows(db.engine) == before  # row for row, every table
    again = runner.invoke(args=["archive", "restore", str(archive)])
    assert again.exit_code == 1 and "in the database already" in again.output


def test_cases_within_their_retention_period_stay(app, runner, office, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_RETENTION_YEARS", 10)
    monkeypatch.setitem(app.config, "MINYI_RETENTION", "complaint=0")
    done = runner.invoke(args=["archive", "--before", "2100-01-01", "--out", str(tmp_path / "a.tar.gz")])
    assert done.exit_code == 0 and "3 cases" in done.output  # complaints: none kept
    monkeypatch.setitem(app.config, "MINYI_RETENTION", "")
    nothing = runner.invoke(args=["archive", "--before", "2100-01-01", "--out", str(tmp_path / "b.tar.gz")])
    assert nothing.exit_code == 0 and "nothing archived" in nothing.output
    monkeypatch.setitem(app.config, "MINYI_RETENTION", "complaints=3")
    refused = runner.invoke(args=["archive", "--out", str(tmp_path / "c.tar.gz")])
    assert refused.exit_code == 1 and "category=years" in refused.output


def test_a_damaged_archive_restores_nothing(app, runner, office, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_RETENTION_YEARS", 0)
    archive = tmp_path / "cases.minyi.tar.gz"
    assert runner.invoke(args=["archive", "--before", "2100-01-01", "--out", str(archive)]).exit_code == 0
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    members["cases.jsonl"] = members["cases.jsonl"].replace("夜间施工噪音".encode(), "夜间施工扰民".encode())
    damaged = tmp_path / "damaged.minyi.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    refused = runner.invoke(args=["archive", "restore", str(damaged)])
    assert refused.exit_code == 1 and "damaged: cases.jsonl" in refused.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 1  # only the open case
