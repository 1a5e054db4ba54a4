"""For load balancers and orchestrators: `/healthz` (this process answers) and `/readyz` (the database answers and a
scheduler's heartbeat is younger than MINYI_READY_SCHEDULER_SECONDS); and the answer every page and API call gives
while the database is unreachable: 503 with Retry-After, never 500 (the connection pool checks connections before use,
so the app recovers by itself once the database is back)."""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from app.cases.clocks.heartbeat import database_reachable, scheduler_status

from .access import public

log = logging.getLogger(__name__)
RETRY_AFTER = 5  # seconds: a restarted database is usually back within a few


@public
def healthz():
    return jsonify({"status": "ok"})


@public
def readyz():
    database = database_reachable()
    scheduler = scheduler_status(current_app.config["MINYI_READY_SCHEDULER_SECONDS"]) if database else None
    ready = database and scheduler["running"]
    body = {"status": "ready" if ready else "not ready", "database": "ok" if database else "unreachable",
            "scheduler": scheduler}
    response = jsonify(body)
    if not ready:
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def database_unavailable(exc: DBAPIError):
    """The database did not answer (or dropped the connection): 503, try again shortly."""
    if not _connection_trouble(exc):
        raise exc
    log.warning("database unavailable: %s", str(exc).splitlines()[0][:200])
    if request.path.startswith("/api/") or request.is_json:
        response = jsonify({"error": {"code": "unavailable", "message": "the database is unavailable; try again shortly",
                                      "details": {}}})
    else:  # no page template: drawing the header would ask the database again
        response = current_app.response_class("系统暂时无法访问数据库，请稍后再试。\n"
                                              "The database is unavailable; try again shortly.\n", mimetype="text/plain")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _connection_trouble(exc: DBAPIError) -> bool:
    return isinstance(exc, OperationalError | InterfaceError) or bool(getattr(exc, "connection_invalidated", False))


def install(app: Flask) -> None:
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/readyz", "readyz", readyz)
    app.register_error_handler(DBAPIError, database_unavailable)
