"""First-run setup."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, status

from podium.server.api.deps import PasswordGateDep, SessionDep, SettingsDep
from podium.server.api.responses import errors
from podium.server.schemas.auth import BootstrapRequest, SetupStatus, TokenPair
from podium.server.services import accounts

router = APIRouter(prefix="/setup", tags=["setup"])


@router.get("/status", name="status")
def setup_status(session: SessionDep, settings: SettingsDep) -> SetupStatus:
    """Whether the first account still has to be created."""
    return accounts.setup_status(session, settings)


@router.post(
    "/bootstrap", name="bootstrap", status_code=status.HTTP_201_CREATED, responses=errors(409, 422)
)
async def bootstrap(
    body: BootstrapRequest, session: SessionDep, settings: SettingsDep, gate: PasswordGateDep
) -> TokenPair:
    """Create the first administrator and workspace (works once)."""
    call = partial(
        accounts.bootstrap,
        session,
        settings,
        body.email,
        body.password,
        body.workspace_name,
        body.display_name,
    )
    return await gate.run(call)
