"""Web layer: one blueprint package per audience."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, render_template, request, send_from_directory
from werkzeug.exceptions import HTTPException, NotFound

# Front-end packages served from node_modules (installed by scripts/setup with npm ci): never a CDN.
ASSETS = {
    "htmx": ("htmx.org/dist", ("htmx.min.js",)),
    "echarts": ("echarts/dist", ("echarts.common.min.js",)),
    "bpmn-js": ("bpmn-js/dist", ("bpmn-navigated-viewer.production.min.js", "assets/diagram-js.css",
                                 "assets/bpmn-js.css", "assets/bpmn-font/css/bpmn.css",
                                 "assets/bpmn-font/font/bpmn.woff2", "assets/bpmn-font/font/bpmn.woff")),
}


def register(app: Flask) -> None:
    from flask_babel import get_locale, gettext
    from flask_limiter import RateLimitExceeded
    from flask_wtf.csrf import CSRFError

    from app.cases.errors import MinyiError
    from app.extensions import csrf

    from .access import public
    from .api import bp as api_bp
    from .api.errors import error_response, json_error_for_app
    from .gate import install as install_gate
    from .headers import install as install_headers
    from .health import install as install_health
    from .labels import install as install_labels
    from .limits import too_many_requests
    from .locale import translated, translated_tree
    from .open311 import bp as open311_bp
    from .public import bp as pages_bp
    from .staff import bp as staff_bp

    install_gate(app)
    install_headers(app)
    install_health(app)
    csrf.exempt(api_bp)  # bearer tokens, not cookies: no cross-site forgery to guard against
    csrf.exempt(open311_bp)  # an api_key in the form, not cookies
    app.register_blueprint(api_bp)
    app.register_blueprint(open311_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(staff_bp)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    app.jinja_env.filters["local"] = _local_time(app.config["MINYI_TIMEZONE"])
    install_labels(app)
    app.jinja_env.globals["get_locale"] = get_locale
    # Jinja's i18n `_` takes the template's context and, called inside a loop, copies the whole context on every
    # call: 25 rows × a few words cost more than the page's queries. Flask-Babel's gettext gives the same text
    # without the copy; autoescaping then escapes the translated text with its values at output.
    app.jinja_env.globals.update(_=gettext, gettext=gettext)
    app.add_url_rule("/assets/<package>/<path:filename>", "assets", public(_asset))

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        return _error_page(400, gettext("The form had expired or came from another page. Go back, reload the page "
                                        "and send it again."))

    @app.errorhandler(MinyiError)
    def _domain_error(exc: MinyiError):  # the API's blueprint handler answers in JSON first
        if request.is_json:  # a page's script called (the workbench editor): it reads the error's details
            return error_response(exc.http_status, exc.code, translated(exc.message), translated_tree(exc.details))
        return _error_page(exc.http_status, translated(exc.message))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if request.path.startswith("/api/"):
            return json_error_for_app(exc)
        if request.is_json:
            return json_error_for_app(exc)
        if exc.code in (403, 404):
            return _error_page(exc.code, None)
        return exc


def _error_page(status: int, message: str | None):
    return render_template("error.html", status=status, message=message), status


def _asset(package: str, filename: str):
    found = ASSETS.get(package)
    if found is None or filename not in found[1]:
        raise NotFound()
    folder = Path(__file__).resolve().parents[2] / "node_modules" / found[0]
    return send_from_directory(folder, filename, max_age=86400)


def _local_time(zone_name: str):
    zone = ZoneInfo(zone_name)

    def local(value, fmt="%Y-%m-%d %H:%M"):
        if isinstance(value, str):  # an ISO moment from a ledger entry's details
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return value
        return value.astimezone(zone).strftime(fmt) if value else ""

    return local
