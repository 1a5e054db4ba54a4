"""Access codes: what a petitioner holds instead of an account. Stored with a slow salted hash and compared in
constant time; what a petitioner types is read the way people copy codes — any letter case, spaces and dashes
between groups — and then compared exactly with the code issued (upper-case letters and digits).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
LENGTH = 8

# Cheaper than the password hasher on purpose: every intake pays for one hash, on the hot path. A
# code is 8 random letters of 32 (40 bits), not a human choice, and online guessing is rate-limited
# (app/web/limits.py); the hash only has to make an offline attack on a stolen database slow, code
# by code (each has its own salt). argon2id with 2 MiB and one pass measured 0.9 ms here (8 MiB:
# 3.6 ms); a GPU bound by memory bandwidth then needs on the order of months for one code's 2^40.
_hasher = PasswordHasher(time_cost=1, memory_cost=2 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)
_LEGACY = re.compile(r"[0-9a-f]{64}")
_dummy_hash: str | None = None


def new_access_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def hash_access_code(code: str) -> str:
    """An argon2id hash of the code (with its own salt and parameters)."""
    return _hasher.hash(code)


def typed_code(code: str) -> str:
    """A code as typed (`abcd-2345`, ` ABCD 2345 `) in the form it was issued (`ABCD2345`)."""
    return "".join(ch for ch in str(code or "") if ch not in " -\t").upper()


def access_code_matches(stored: str | None, code: str) -> bool:
    """Whether `code` is the code behind `stored`, exactly. Pass stored=None for an unknown case:
    the same work is done, so a wrong number cannot be told from a wrong code by timing."""
    if stored is not None and _LEGACY.fullmatch(stored):
        # Before migration 0008: SHA-256 hex of the code. Codes were upper-case ASCII, so hashing the
        # code exactly as given matches every real one and nothing lenient (lower case, spaces, 'é').
        return hmac.compare_digest(stored, hashlib.sha256(code.encode("utf-8")).hexdigest())
    try:
        return _hasher.verify(stored or _dummy(), code) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(new_access_code())
    return _dummy_hash
