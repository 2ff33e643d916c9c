"""Access tokens: the verified-signature cache of the predict path keeps every refusal."""

from __future__ import annotations

import time
import uuid

import pytest

from podium.server.errors import Unauthorized
from podium.server.security import VerifiedTokens, create_access_token

KEY = "k" * 32


def test_a_checked_token_is_remembered_until_it_expires() -> None:
    tokens = VerifiedTokens(size=2)
    user = uuid.uuid4()
    token = create_access_token(user, KEY, ttl_s=2, version=3)
    first = tokens.decode(token, KEY)
    assert (first.user_id, first.version) == (user, 3)
    assert tokens.decode(token, KEY) is first  # the signature is not checked again
    while time.time() < first.expires_at.timestamp():
        time.sleep(0.1)
    with pytest.raises(Unauthorized, match="expired"):
        tokens.decode(token, KEY)


def test_refusals_are_never_remembered() -> None:
    tokens = VerifiedTokens(size=2)
    token = create_access_token(uuid.uuid4(), KEY, ttl_s=60)
    with pytest.raises(Unauthorized, match="invalid"):
        tokens.decode(token, "another key " * 3)
    with pytest.raises(Unauthorized, match="invalid"):
        tokens.decode(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), KEY)
    assert tokens.decode(token, KEY).expires_at.timestamp() > time.time()
    for _ in range(3):  # bounded: older tokens leave
        tokens.decode(create_access_token(uuid.uuid4(), KEY, ttl_s=60), KEY)
    assert len(tokens._items) == 2
