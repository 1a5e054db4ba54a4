"""`minyi serve`: the embedded default, web server and scheduler in one process."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--scheduler/--no-scheduler", default=True, help="run the timer scheduler in this process too")
@with_appcontext
def serve(host, port, scheduler):
    """The embedded default: web server and timer scheduler in one process. Production runs gunicorn instead."""
    from flask import current_app
    from werkzeug.serving import run_simple

    from app.scheduler import build

    app = current_app._get_current_object()
    background = build(app) if scheduler else None
    if background is not None:
        background.start()
    click.echo(f"Minyi at http://{host}:{port}/  (database: {app.config['SQLALCHEMY_DATABASE_URI']})")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if background is not None:
            background.shutdown(wait=False)
