"""Flask extensions, created unbound; create_app binds them."""

import json

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def compact_json(value) -> str:
    """JSON columns (the ledger's details above all) as UTF-8 without spaces: Chinese text takes 3 bytes a
    character instead of the 6 of a \\uXXXX escape. Readers see the same values."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# Objects stay readable after commit: services return what they just wrote without a reload.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False},
                engine_options={"json_serializer": compact_json})
migrate = Migrate()
# Storage and limits come from the config (RATELIMIT_STORAGE_URI, MINYI_RATELIMIT_*); app/web/limits.py applies them.
limiter = Limiter(key_func=get_remote_address, key_prefix="minyi")
# Staff pages: sessions (app/web/staff/session.py binds the user loader), CSRF on every form post, zh/en.
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
