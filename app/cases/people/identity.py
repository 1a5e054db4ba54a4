"""Who a petitioner is, as a key: their phone number, e-mail address and resident ID number, normalised and hashed
with a secret key (HMAC-SHA256, 128 bits kept).

Normalised so that one person is one key however the clerk typed it: a phone number in E.164 (`phonenumbers`,
mainland China by default: 138-1234-5678, +86 13812345678 and 008613812345678 are one number), an e-mail address in
lower case, an ID number as `python-stdnum` checks it (18 characters, its check digit right, a final x upper-case).
The database holds only the keys: the plain values stay in each case's petitioner row, under the masking policy.
"""

from __future__ import annotations

import hashlib
import hmac

import phonenumbers
from flask import current_app
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as NumberError

KINDS = ("id_number", "phone", "email")  # strongest first: who a record is found by when they disagree


def normalised_phone(raw: str | None) -> str | None:
    """The number in E.164, or None when it cannot be a telephone number."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalised_email(raw: str | None) -> str | None:
    value = (raw or "").strip().lower()
    return value or None


def normalised_id_number(raw: str | None) -> str | None:
    """The resident ID number compacted, or None when it is not one (wrong length, date or check digit)."""
    if not raw or not raw.strip():
        return None
    try:
        return ric.validate(raw.replace(" ", "")).upper()
    except NumberError:
        return None


def valid_id_number(raw: str) -> bool:
    return normalised_id_number(raw) is not None


def identity_keys(phone: str | None = None, email: str | None = None, id_number: str | None = None) -> dict[str, str]:
    """{kind: key} for each identifier given and valid (a name alone identifies nobody)."""
    values = {"id_number": normalised_id_number(id_number), "phone": normalised_phone(phone),
              "email": normalised_email(email)}
    return {kind: _key(kind, value) for kind, value in values.items() if value}


def _key(kind: str, value: str) -> str:
    return hmac.new(_secret(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _secret() -> bytes:
    configured = current_app.config.get("MINYI_PERSON_KEY")
    if configured:
        return configured.encode()
    return hmac.new(str(current_app.config["SECRET_KEY"]).encode(), b"minyi petitioner records",
                    hashlib.sha256).digest()
