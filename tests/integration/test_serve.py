"""`minyi serve` as an operator starts it: gunicorn web workers plus one scheduler process, stopped together.

Runs real processes on a SQLite file (several worker processes write to it at once).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINYI = [sys.executable, "-c", "import sys; sys.argv[0] = 'minyi'; from app.cli import main; main()"]


def minyi(env, *args) -> str:
    done = subprocess.run([*MINYI, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the direct children of a process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def site(tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("the process layout is the same on PostgreSQL; this runs it on the embedded default")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'minyi.sqlite3'}", "FLASK_APP": "app",
           "MINYI_ATTACHMENTS_DIR": str(tmp_path / "files")}
    minyi(env, "db", "upgrade")
    minyi(env, "processes", "deploy", str(ROOT / "processes" / "complaint.bpmn"))
    minyi(env, "processes", "bind", "complaint", "complaint")
    minyi(env, "users", "create", "clerk", "--role", "intake")
    token = minyi(env, "users", "token", "clerk").strip().splitlines()[-1]
    return env, token


def test_serve_runs_the_workers_and_a_scheduler_takes_concurrent_intakes_and_stops_them_all(site, tmp_path):
    env, token = site
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([*MINYI, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    kids = []
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/login")
        deadline = time.monotonic() + 30  # the first worker answers while the second may still be booting
        while True:
            kids = children(server.pid)
            schedulers = [pid for pid, cmd in kids if cmd.rstrip().endswith("scheduler")]
            workers = [pid for pid, cmd in kids if "serve" in cmd]
            if (len(schedulers), len(workers)) == (1, 2) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(schedulers) == 1 and len(workers) == 2, kids

        def intake(i):
            body = json.dumps({"category": "complaint", "channel": "web", "title": f"噪音 {i}",
                               "description": "夜间施工噪音扰民", "petitioner": {"name": "张三", "phone": "13800000000"}})
            request = urllib.request.Request(base + "/api/v1/cases", data=body.encode(), method="POST", headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.load(response)["number"]

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(intake, range(40)))
        assert {status for status, _ in results} == {201}
        assert len({number for _, number in results}) == 40  # nothing lost, nothing duplicated
        assert sorted(int(n[8:]) for _, n in results) == list(range(1, 41))  # one day's numbers, no gap
        following = [intake(100 + i)[1] for i in range(5)]  # one after another, through either worker
        assert [int(n[8:]) for n in following] == list(range(41, 46))  # in the order of registration
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    time.sleep(0.5)
    assert all(not Path(f"/proc/{pid}").exists() for pid, _ in kids), "a child outlived the server"


def test_two_workers_share_one_count_of_wrong_access_codes(site, tmp_path):
    """Counters in a worker's memory let N workers allow N times the guesses; in the database they add up."""
    env, token = site
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([*MINYI, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/login")
        body = json.dumps({"category": "complaint", "channel": "web", "title": "噪音", "description": "夜间施工噪音扰民",
                           "petitioner": {"name": "张三", "phone": "13800000000"}})
        request = urllib.request.Request(base + "/api/v1/cases", data=body.encode(), method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            number = json.load(response)["number"]

        def guess(i):
            url = f"{base}/api/v1/public/cases/{number}?access_code=WRONG{i:03d}"
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                return exc.code

        with ThreadPoolExecutor(4) as pool:  # both workers answer
            answers = list(pool.map(guess, range(24)))
        assert answers.count(404) <= 10 + 3 and answers.count(404) >= 10  # racing requests read the count at once
        assert answers.count(429) == 24 - answers.count(404)
        assert guess(99) == 429
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def test_a_scheduler_killed_under_serve_is_restarted_and_readyz_follows(site, tmp_path):
    env, _token = site
    port = free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    server = subprocess.Popen([*MINYI, "serve", "--port", str(port), "--workers", "1"], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/readyz")  # ready: the scheduler has beaten
        first = _scheduler_of(server.pid)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 20
        second = None
        while time.monotonic() < deadline:
            second = _scheduler_of(server.pid)
            if second not in (None, first):
                break
            time.sleep(0.2)
        assert second not in (None, first), "no new scheduler"
        deadline, names = time.monotonic() + 20, []
        while time.monotonic() < deadline:  # the new one beats (the killed one's last beat is still listed)
            with urllib.request.urlopen(base + "/readyz", timeout=10) as response:
                names = [s["name"] for s in json.load(response)["scheduler"]["schedulers"]]
            if names and names[0].endswith(f":{second}"):
                break
            time.sleep(0.5)
        assert names[0].endswith(f":{second}"), names
        log.flush()
        assert "restarting it" in log_path.read_text()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def _scheduler_of(pid: int) -> int | None:
    found = [child for child, cmd in children(pid) if cmd.rstrip().endswith("scheduler")]
    return found[0] if found else None


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def test_a_worker_keeps_what_it_loaded_out_of_the_collectors_reach(monkeypatch):
    import app as app_package
    from app.cli.serve import _application_class

    loaded = object()
    monkeypatch.setattr(app_package, "create_app", lambda: loaded)
    gc.unfreeze()
    try:
        application = _application_class()({"bind": "127.0.0.1:0", "workers": 1}, lambda arbiter: None,
                                           lambda arbiter: None)
        assert application.load() is loaded
        assert gc.get_freeze_count() > 10_000  # the test process's modules and objects, frozen after the load
    finally:
        gc.unfreeze()
