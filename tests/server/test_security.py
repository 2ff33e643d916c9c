"""Access tokens: the verified-signature cache of the predict path keeps every refusal."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from podium.server.errors import Unauthorized
from podium.server.security import RandomIds, VerifiedTokens, create_access_token

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


def test_a_forked_process_draws_request_ids_of_its_own() -> None:
    """RandomIds draws the OS's bytes in blocks: a process forked with part of a block left
    (an API process forking a helper) must not hand out the ids its parent will."""
    ids = RandomIds(block=8)
    ids.hex()  # the block is drawn; 7 ids are left in it
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent
        os.close(read)
        os.write(write, ids.hex().encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child = pipe.read()
    os.waitpid(pid, 0)
    assert child
    assert child != ids.hex()
