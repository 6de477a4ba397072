"""Password hashes with Argon2id (argon2-cffi, the reference implementation's binding; the
password-hashing competition's winner and what OWASP recommends first).

The hasher's defaults are argon2-cffi's RFC 9106 "low memory" profile; a hash made with weaker
parameters verifies and is then replaced (`needs_rehash`).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()
# Shorter passwords are refused when a user is added (BSI IT-Grundschutz ORP.4 asks for length).
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    """Whether `password` is the one `stored_hash` was made from (a broken hash: no)."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


# Verified when a name is unknown, so that a wrong name takes as long as a wrong password and
# the answer's time does not tell which names exist.
DUMMY_HASH = _HASHER.hash("not a password of anyone")
