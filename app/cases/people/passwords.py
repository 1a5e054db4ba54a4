"""The password policy for staff accounts: long enough, not guessable from the account or a short list."""

from __future__ import annotations

from ..errors import T

MIN_LENGTH = 10

# The most common passwords of at least MIN_LENGTH characters in public breach lists (shorter ones
# fail on length already). A small built-in list: it stops the worst choices without a data file.
COMMON_PASSWORDS = frozenset({
    "1234567890", "0123456789", "1234567891", "1q2w3e4r5t", "1qaz2wsx3edc", "qwertyuiop", "qwerty1234",
    "qwerty12345", "password12", "password123", "password1234", "passw0rd123", "iloveyou12", "abc1234567",
    "abcd123456", "a123456789", "aa12345678", "asdfghjkl1", "1q2w3e4r5t6y", "qazwsxedc123", "zxcvbnm123",
    "administrator", "admin12345", "admin123456", "welcome123", "letmein123", "changeme123", "football12",
    "baseball12", "sunshine12", "princess12", "dragon1234", "master1234", "woaini1314", "woaini520",
    "5201314520", "aaaaaaaaaa", "abcdefghij", "p@ssw0rd123", "minyi12345", "minyi123456",
})


def password_problems(password: str, username: str) -> list[str]:
    """What is wrong with `password` for the account `username` (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(T("at least %(n)s characters", n=MIN_LENGTH))
    if password.isdigit():
        problems.append(T("not only digits"))
    lowered = password.casefold()
    if lowered == username.casefold():
        problems.append(T("must not be the user name"))
    if lowered in COMMON_PASSWORDS:
        problems.append(T("too common: choose another"))
    return problems
