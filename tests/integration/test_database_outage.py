"""A database that stops answers 503 with Retry-After, never 500, and the app recovers by itself when it is back;
/readyz says so. Runs against a PostgreSQL server of its own, stopped and started under the app."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from app import create_app
from app.cases.bootstrap import ensure_reference_data
from app.cases.clocks.heartbeat import beat
from app.cases.people.tokens import create_token
from app.cases.people.users import create_user
from app.extensions import db


def _bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in Path(p).parent.name.split(".")])
    return found[-1] if found else None


class Server:
    """A throwaway PostgreSQL cluster on loopback (as scripts/postgres.sh makes one)."""

    def __init__(self):
        self.bindir = _bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="minyi-outage-"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.dir / "data"), "-U", "minyi", "-A", "trust", "--no-sync", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "minyi", "outage")
        self.url = f"postgresql://minyi@127.0.0.1:{self.port}/outage"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, f"{self.bindir}/{tool}", *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "start", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        subprocess.run([*self.as_user, f"{self.bindir}/pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def server():
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("runs in the PostgreSQL pass, on a server of its own")
    if _bindir() is None:
        pytest.skip("no PostgreSQL binaries")
    made = Server()
    yield made
    made.remove()


def test_a_stopped_database_answers_503_and_the_app_recovers_when_it_is_back(server, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": server.url, "MINYI_ATTACHMENTS_DIR": str(tmp_path)})
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        create_user("clerk", ["intake"])
        token = create_token("clerk").secret
        beat("test-scheduler", swept=True)
        db.session.remove()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/v1/cases", headers=auth).status_code == 200

    server.stop()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["database"] == "unreachable" and ready.headers["Retry-After"]
    listed = client.get("/api/v1/cases", headers=auth)
    assert listed.status_code == 503 and listed.json["error"]["code"] == "unavailable" and listed.headers["Retry-After"]
    page = client.get("/login")
    assert page.status_code in (200, 503)  # the sign-in form needs no database; nothing answers 500
    assert client.get("/track").status_code in (200, 503)
    assert client.get("/healthz").status_code == 200

    server.start()
    assert client.get("/api/v1/cases", headers=auth).status_code == 200  # the pool checked its connections
    assert client.get("/readyz").status_code == 200
    with app.app_context():
        db.engine.dispose()
