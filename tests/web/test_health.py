"""/healthz and /readyz for load balancers, and the administrators' view of the clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from app.cases.clocks.heartbeat import beat
from app.extensions import db
from app.models import SchedulerHeartbeat


def test_alive_always_ready_only_with_a_fresh_scheduler_heartbeat(client, app):
    assert client.get("/healthz").json == {"status": "ok"}
    waiting = client.get("/readyz")
    assert waiting.status_code == 503 and waiting.headers["Retry-After"] == "5"
    assert waiting.json["database"] == "ok" and waiting.json["scheduler"]["running"] is False
    beat("host-a:101", swept=True, fired=3)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["status"] == "ready"
    assert ready.json["scheduler"]["schedulers"][0]["name"] == "host-a:101"
    old = datetime.now(UTC) - timedelta(seconds=app.config["MINYI_READY_SCHEDULER_SECONDS"] + 5)
    db.session.execute(update(SchedulerHeartbeat).values(beat_at=old))
    db.session.commit()
    assert client.get("/readyz").status_code == 503  # a scheduler that stopped beating


def test_heartbeats_add_up_what_each_scheduler_fired(client, app):
    beat("host-a:101", swept=True, fired=2)
    beat("host-a:101", swept=False)
    beat("host-a:101", swept=True, fired=5)
    row = db.session.get(SchedulerHeartbeat, "host-a:101")
    assert row.fired == 7 and row.last_sweep_at is not None


def test_only_administrators_see_the_system(client, staff):
    staff.add("root1", "admin")
    beat("host-a:101", swept=True, fired=1)
    shown = client.get("/api/v1/system", headers=staff.headers("root1"))
    assert shown.status_code == 200 and shown.json["scheduler"]["running"] is True and shown.json["open_incidents"] == 0
    assert client.get("/api/v1/system", headers=staff.headers("super1")).status_code == 403
