"""Minyi: case management for public appeals, driven by BPMN."""

from __future__ import annotations

from pathlib import Path

from flask import Flask


def create_app(overrides: dict | None = None) -> Flask:
    """The app factory: configuration, extensions, blueprints, CLI. Starts no scheduler, runs no migration."""
    app = Flask(__name__, instance_relative_config=True)
    _configure(app, overrides)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _configure(app: Flask, overrides: dict | None) -> None:
    from .config import load_config

    app.config.update(load_config(app.instance_path, overrides))


def _init_extensions(app: Flask) -> None:
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .models import database_events
    from .web.locale import select_locale

    db.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    with app.app_context():
        database_events.install(db.engine)


def _register_blueprints(app: Flask) -> None:
    from .web import register

    register(app)


def _register_cli(app: Flask) -> None:
    from .cli import register

    register(app)
