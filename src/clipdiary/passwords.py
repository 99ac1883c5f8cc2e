"""The owner's password, hashed with Argon2id (memory-hard), never stored in the clear."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clipdiary.errors import UsageError

MIN_LENGTH = 8
MAX_LENGTH = 1024  # the login form checks no longer ones: an attacker's work stays bounded
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise UsageError(f"the password is too short: use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise UsageError(f"the password is too long: use at most {MAX_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash or len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
