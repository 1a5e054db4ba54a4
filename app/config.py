"""Configuration, all from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Settings for create_app; environment variables win over defaults, overrides over both."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    default_db = "sqlite:///" + os.path.join(instance_path, "minyi.sqlite3")
    config = {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_db),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance_path),
        "MINYI_TIMEZONE": os.environ.get("MINYI_TIMEZONE", "Asia/Shanghai"),
        # a rating of this many points (of 5) or more counts as satisfied (满意率, docs/statistics.md)
        "MINYI_SATISFIED_FROM": int(os.environ.get("MINYI_SATISFIED_FROM", "4")),
        # the departments' ranking score: each rate's weight (docs/statistics.md)
        "MINYI_RANKING_WEIGHTS": os.environ.get("MINYI_RANKING_WEIGHTS",
                                                "on_time:0.25,response:0.15,resolution:0.3,satisfaction:0.3"),
        # The key of the petitioner records' hashes (phone, e-mail, ID number): set it apart from SECRET_KEY in
        # production (a changed key finds nobody again until `minyi people link --rekey`); empty: derived from it.
        "MINYI_PERSON_KEY": os.environ.get("MINYI_PERSON_KEY", ""),
        "MINYI_PROCESSES_DIR": os.environ.get("MINYI_PROCESSES_DIR", str(_repo_dir("processes"))),
        "MINYI_FORMS_DIR": os.environ.get("MINYI_FORMS_DIR", str(_repo_dir("forms"))),
        "MINYI_SCHEDULER": os.environ.get("MINYI_SCHEDULER", "0") == "1",
        "MAX_CONTENT_LENGTH": int(os.environ.get("MINYI_MAX_UPLOAD_BYTES", str(2 * 1024 * 1024))),
        # Attachments of cases: at most this many bytes each, stored outside the database in this folder.
        "MINYI_ATTACHMENT_MAX_BYTES": int(os.environ.get("MINYI_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))),
        "MINYI_ATTACHMENTS_DIR": os.environ.get("MINYI_ATTACHMENTS_DIR", os.path.join(instance_path, "attachments")),
        "MINYI_TOKEN_DAYS": int(os.environ.get("MINYI_TOKEN_DAYS", "90")),
        # Coarse throttle of public (no login) lookups and ratings per client address (Flask-Limiter syntax and
        # storage: memory:// counts per worker; redis://… shares it between workers and hosts).
        "RATELIMIT_STORAGE_URI": os.environ.get("MINYI_RATELIMIT_STORAGE", "memory://"),
        "MINYI_RATELIMIT_PER_ADDRESS": os.environ.get("MINYI_RATELIMIT_PER_ADDRESS", "30/minute"),
        # Failures before a door closes, counted in the database (app/cases/people/attempts.py): wrong access codes
        # per case number and per address within the hour; wrong passwords per user name from one address, per
        # address, and per user name from devices it never signed in from, within 15 minutes.
        "MINYI_LOOKUP_FAILURES_PER_CASE": int(os.environ.get("MINYI_LOOKUP_FAILURES_PER_CASE", "10")),
        "MINYI_LOOKUP_FAILURES_PER_ADDRESS": int(os.environ.get("MINYI_LOOKUP_FAILURES_PER_ADDRESS", "30")),
        "MINYI_LOGIN_FAILURES_PER_USER_ADDRESS": int(os.environ.get("MINYI_LOGIN_FAILURES_PER_USER_ADDRESS", "5")),
        "MINYI_LOGIN_FAILURES_PER_ADDRESS": int(os.environ.get("MINYI_LOGIN_FAILURES_PER_ADDRESS", "30")),
        "MINYI_LOGIN_FAILURES_PER_USER": int(os.environ.get("MINYI_LOGIN_FAILURES_PER_USER", "50")),
        # the public form: appeals per address per hour, and from everyone together per minute
        "MINYI_SUBMISSIONS_PER_ADDRESS_HOUR": int(os.environ.get("MINYI_SUBMISSIONS_PER_ADDRESS_HOUR", "5")),
        "MINYI_SUBMISSIONS_PER_MINUTE": int(os.environ.get("MINYI_SUBMISSIONS_PER_MINUTE", "60")),
        # Session cookie: never readable by scripts, not sent on cross-site posts; Secure behind HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("MINYI_SECURE_COOKIES", "0") == "1",
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("MINYI_SESSION_HOURS", "12")) * 3600,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("MINYI_TIMEZONE", "Asia/Shanghai"),
        # a pooled connection is checked before use: after a database restart the app recovers by itself
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # how long closed cases stay in the database, in years from closing (`minyi archive`); per category:
        # MINYI_RETENTION="consultation=3,other=3"
        "MINYI_RETENTION_YEARS": int(os.environ.get("MINYI_RETENTION_YEARS", "10")),
        "MINYI_RETENTION": os.environ.get("MINYI_RETENTION", ""),
        # /readyz: a scheduler must have beaten within this many seconds
        "MINYI_READY_SCHEDULER_SECONDS": int(os.environ.get("MINYI_READY_SCHEDULER_SECONDS", "60")),
        "JSON_SORT_KEYS": False,
        # The supervisor console: a case is stalled after this many working days without a person's step;
        # a task unclaimed in its group queue for this many hours is listed as unassigned.
        "MINYI_STALLED_WORKING_DAYS": int(os.environ.get("MINYI_STALLED_WORKING_DAYS", "5")),
        "MINYI_UNASSIGNED_HOURS": int(os.environ.get("MINYI_UNASSIGNED_HOURS", "24")),
        # Messages to petitioners (docs/operations.md, "Messages"): e-mail over SMTP, SMS through an HTTP gateway;
        # what has no transport configured is written to the local mail folder (MINYI_MAIL_DIR, a Maildir).
        "MINYI_PUBLIC_URL": os.environ.get("MINYI_PUBLIC_URL", "http://127.0.0.1:5000"),
        "MINYI_SMTP_URL": os.environ.get("MINYI_SMTP_URL", ""),  # smtp://user:pass@host:587?starttls=1, smtps://...
        "MINYI_MAIL_FROM": os.environ.get("MINYI_MAIL_FROM", "Minyi <no-reply@localhost>"),
        "MINYI_SMS_URL": os.environ.get("MINYI_SMS_URL", ""),  # a JSON POST per SMS
        "MINYI_SMS_TOKEN": os.environ.get("MINYI_SMS_TOKEN", ""),  # sent as "Authorization: Bearer ..." when set
        "MINYI_MAIL_DIR": os.environ.get("MINYI_MAIL_DIR", os.path.join(instance_path, "mail")),
        "MINYI_MESSAGE_ATTEMPTS": int(os.environ.get("MINYI_MESSAGE_ATTEMPTS", "6")),
        "MINYI_MESSAGE_RETRY_SECONDS": float(os.environ.get("MINYI_MESSAGE_RETRY_SECONDS", "60")),
        "MINYI_MESSAGE_SEND_TIMEOUT": float(os.environ.get("MINYI_MESSAGE_SEND_TIMEOUT", "30")),
        # E-mail intake: the mailbox the scheduler reads every MINYI_MAIL_FETCH_SECONDS (docs/operations.md)
        "MINYI_IMAP_URL": os.environ.get("MINYI_IMAP_URL", ""),
        # Open311: when set, a request naming another jurisdiction_id is answered 404
        "MINYI_OPEN311_JURISDICTION": os.environ.get("MINYI_OPEN311_JURISDICTION", ""),
        "MINYI_MAIL_FETCH_SECONDS": float(os.environ.get("MINYI_MAIL_FETCH_SECONDS", "60")),
        # What-if replay: the newest cases a page (or the API's GET) replays while it waits; a run does them all
        "MINYI_WHAT_IF_PAGE_CASES": int(os.environ.get("MINYI_WHAT_IF_PAGE_CASES", "500")),
    }
    config.update(overrides or {})
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    return config


def _repo_dir(name: str) -> Path:
    return Path(__file__).resolve().parent.parent / name


def _instance_secret(instance_path: str) -> str:
    """A per-installation key kept in instance/, so sessions survive restarts without a key in the repo."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
