"""`minyi serve`: gunicorn web workers (one per core by default) plus one timer-scheduler process.

The same layout serves the embedded default (SQLite in WAL mode takes concurrent writers from several
processes) and production; `--dev` keeps the single-process Werkzeug server for debugging.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
import time

import click

SCHEDULER_ARGV = [sys.executable, "-c", "import sys; sys.argv[0] = 'minyi'; from app.cli import main; main()", "scheduler"]


def default_workers() -> int:
    """One web worker per core this process may run on: engine steps are CPU-bound."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=click.IntRange(1, 65535), show_default=True)
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="web worker processes  [default: the machine's cores]")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="threads per worker (requests waiting on the database overlap)")
@click.option("--scheduler/--no-scheduler", default=True, show_default=True,
              help="run one timer-scheduler process beside the web workers")
@click.option("--dev", is_flag=True, help="one process, Werkzeug's server and an in-process scheduler (debugging)")
def serve(host, port, workers, threads, scheduler, dev):
    """Serve Minyi: gunicorn web workers plus a timer scheduler, until Ctrl+C or SIGTERM."""
    from app import create_app

    if dev:
        _serve_dev(create_app(), host, port, scheduler)
        return
    workers = workers or default_workers()
    database = create_app().config["SQLALCHEMY_DATABASE_URI"]
    click.echo(f"Minyi at http://{host}:{port}/  ({workers} web workers × {threads} threads"
               f"{', 1 scheduler' if scheduler else ''}; database: {_safe(database)})")
    MinyiServer(host, port, workers, threads, scheduler).run()


def _safe(url: str) -> str:
    """The database URL without its password, for the start-up line."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _serve_dev(app, host: str, port: int, scheduler: bool) -> None:
    from werkzeug.serving import run_simple

    from app.scheduler import build

    background = build(app) if scheduler else None
    if background is not None:
        background.start()
    click.echo(f"Minyi (development server) at http://{host}:{port}/")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if background is not None:
            background.shutdown(wait=False)


def _application_class():
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        """Gunicorn run from Python: each worker builds its own app after the fork (no shared connections)."""

        def __init__(self, options: dict, on_starting, on_exit):
            self.options, self.hooks = options, {"on_starting": on_starting, "on_exit": on_exit}
            super().__init__()

        def load_config(self):
            for key, value in {**self.options, **self.hooks}.items():
                if key in self.cfg.settings:  # settings of newer gunicorn releases are skipped on older ones
                    self.cfg.set(key, value)

        def load(self):
            from app import create_app

            app = create_app()
            # What the worker loaded lives as long as the worker: out of the collector's reach, a full collection
            # no longer walks the ~150,000 objects of the app and its libraries (pauses of 100 ms measured).
            gc.collect()
            gc.freeze()
            return app

    return Application


class MinyiServer:
    """The gunicorn arbiter plus the scheduler process it starts when ready, restarts when it dies and stops when it
    exits. A watcher thread in the arbiter looks at the scheduler every second; one that keeps dying is restarted
    after a growing pause (1 s doubling to a minute), and each restart is logged."""

    def __init__(self, host: str, port: int, workers: int, threads: int, scheduler: bool):
        self.options = {
            "bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
            "preload_app": False, "timeout": 60, "graceful_timeout": 20, "keepalive": 5,
            "accesslog": os.environ.get("MINYI_ACCESS_LOG"), "errorlog": "-", "loglevel": "info",
            "proc_name": "minyi",
            # no management socket in $HOME: two servers on one machine (a test beside the demo) would share it
            "control_socket_disable": True,
        }
        self.scheduler = scheduler
        self.child: subprocess.Popen | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        _application_class()(self.options, self._starting, self._exiting).run()

    def _starting(self, arbiter) -> None:
        if self.scheduler:
            # its own process, so a long sweep never holds a web worker, and its threads are never forked
            self.child = self._start_scheduler()
            threading.Thread(target=self._watch, args=(arbiter.log,), name="minyi-scheduler-watch", daemon=True).start()

    def _start_scheduler(self) -> subprocess.Popen:
        return subprocess.Popen(SCHEDULER_ARGV, env=os.environ.copy())

    def _watch(self, log) -> None:
        pause, started = 1.0, time.monotonic()
        while not self.stopping.wait(1.0):
            child = self.child
            if child is None or child.poll() is None:
                continue
            # a terminal's Ctrl+C or a service manager's stop signals the whole group: the server stops right after
            if child.returncode in (-signal.SIGTERM, -signal.SIGINT) and self.stopping.wait(5.0):
                return
            if self.stopping.is_set():
                return
            ran = time.monotonic() - started
            pause = 1.0 if ran > 60 else min(pause * 2, 60.0)
            log.error("the scheduler (pid %s) exited with %s after %.0f s; restarting it in %.0f s",
                      child.pid, child.returncode, ran, pause if ran <= 60 else 0)
            if ran <= 60 and self.stopping.wait(pause):
                return
            self.child, started = self._start_scheduler(), time.monotonic()
            log.info("scheduler restarted (pid %s)", self.child.pid)

    def _exiting(self, _arbiter) -> None:
        self.stopping.set()
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)
            try:
                self.child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.child.kill()
