"""Passwords (argon2), short-lived access tokens (JWT, HS256), opaque secrets stored hashed."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from podium.server.errors import Unauthorized

ALGORITHM = "HS256"
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check ``password`` against an argon2 hash (never raises on a mismatch)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_verify() -> None:
    """Spend the time of one verification, so unknown emails and bad passwords look alike."""
    verify_password(_DUMMY_HASH, "not-the-password")


_DUMMY_HASH = _hasher.hash("dummy-password-for-timing")


@dataclass(frozen=True)
class AccessClaims:
    """What an access token says: who, at which token version, and until when."""

    user_id: uuid.UUID
    expires_at: datetime
    version: int = 0


def create_access_token(user_id: uuid.UUID, key: str, ttl_s: int, version: int = 0) -> str:
    """Sign a short-lived access token for ``user_id`` at the user's ``token_version``."""
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + timedelta(seconds=ttl_s),
        "typ": "access",
        "ver": version,
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def decode_access_token(token: str, key: str) -> AccessClaims:
    """Verify an access token and return its claims.

    Raises
    ------
    Unauthorized
        When the token is malformed, tampered with, of the wrong type or expired.
    """
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized("access token expired; refresh it or sign in again") from None
    except jwt.PyJWTError:
        raise Unauthorized("invalid access token; sign in again") from None
    if claims.get("typ") != "access":
        raise Unauthorized("not an access token")
    try:
        user_id = uuid.UUID(str(claims["sub"]))
        version = int(claims.get("ver", 0))
    except (TypeError, ValueError):
        raise Unauthorized("invalid access token subject") from None
    return AccessClaims(user_id, datetime.fromtimestamp(int(claims["exp"]), UTC), version)


class VerifiedTokens:
    """Access tokens whose signature was checked, by token and key (least recently used out).

    Checking an HS256 signature and parsing the claims is most of a predict call's auth
    (~0.1 ms); a machine client sends the same token thousands of times. A hit still refuses
    a token past its ``exp``, and only the signature check is remembered: whether the account
    is active and the token's version current is read from the database on every call
    (``services/deployments.resolve``), so sign-out, disabling and revocation stay immediate.
    Tokens that fail the check are never kept.
    """

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str], AccessClaims] = OrderedDict()
        self._lock = threading.Lock()

    def decode(self, token: str, key: str) -> AccessClaims:
        """:func:`decode_access_token`, remembered while the token has not expired."""
        with self._lock:
            hit = self._items.get((token, key))
            if hit is not None:
                self._items.move_to_end((token, key))
        if hit is None:
            hit = decode_access_token(token, key)
            with self._lock:
                self._items[(token, key)] = hit
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        if datetime.now(UTC) >= hit.expires_at:  # PyJWT's rule: expired at exp itself
            raise Unauthorized("access token expired; refresh it or sign in again")
        return hit


class RandomIds:
    """Random version-4 UUIDs (hex), drawn from ``os.urandom`` in blocks of ``block`` ids.

    ``os.urandom`` releases the GIL around its system call. Called once per predict call on
    the event loop (``uuid.uuid4()``), it handed the GIL to the worker threads each time and
    waited to get it back: 1.5 ms of the loop's wall per call at 10 calls in flight, with
    every connection of the process waiting behind it (bench/RESULTS.md). The ids are as
    random as ``uuid4``'s; only the system calls are fewer. A forked child drops what is left
    of its parent's block, so the two never hand out the same ids.
    """

    def __init__(self, block: int = 256) -> None:
        self.block = block
        self._pool = b""
        self._at = 0
        self._lock = threading.Lock()
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._pool, self._at, self._lock = b"", 0, threading.Lock()

    def hex(self) -> str:
        """A fresh random UUID4, as 32 hex digits (``uuid.uuid4().hex``'s form)."""
        with self._lock:
            if self._at >= len(self._pool):
                self._pool, self._at = os.urandom(16 * self.block), 0
            chunk, self._at = self._pool[self._at : self._at + 16], self._at + 16
        return uuid.UUID(bytes=chunk, version=4).hex


def new_secret(prefix: str = "") -> str:
    """Return a fresh random opaque secret (refresh tokens, API keys)."""
    return prefix + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """SHA-256 hex digest of an opaque secret: what the database stores instead of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()
