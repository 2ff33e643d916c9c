"""Worker tests reuse the API fixtures (app, world of users) to set up and read back state."""

from tests.server.conftest import client, world

__all__ = ["client", "world"]
