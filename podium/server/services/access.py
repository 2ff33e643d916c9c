"""Who may do what in a workspace: membership lookup and role checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.server.db.base import TenantMixin
from podium.server.db.models import Membership
from podium.server.errors import Forbidden, NotFound, not_found

T = TypeVar("T", bound=TenantMixin)

RANK = {"viewer": 0, "editor": 1, "owner": 2}
VERB = {"viewer": "read", "editor": "change", "owner": "administer"}


def abilities(role: str) -> dict[str, bool]:
    """What ``role`` may do in its workspace, by verb (read, change, administer).

    The web hides the controls a role cannot use from these; it keeps no ranks of its own.
    """
    return {verb: RANK[role] >= RANK[needed] for needed, verb in VERB.items()}


@dataclass(frozen=True)
class Member:
    """The caller's membership in one workspace."""

    workspace_id: uuid.UUID
    user_id: uuid.UUID
    role: str

    def require(self, role: str) -> None:
        """Raise Forbidden unless this member's role is at least ``role``."""
        if RANK[self.role] < RANK[role]:
            raise Forbidden(
                f"your role in this workspace is {self.role}; {role} or higher is needed "
                f"to {VERB[role]} it"
            )


def membership(
    session: Session, workspace_id: uuid.UUID, user_id: uuid.UUID, *, kind: str, ident: object
) -> Member:
    """The caller's membership, or NotFound naming the resource (never revealing existence)."""
    row = session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )
    if row is None:
        raise NotFound(f"{kind} {ident} not found")
    return Member(workspace_id, user_id, row.role)


def authorize(
    session: Session,
    workspace_id: uuid.UUID,
    user_id: uuid.UUID,
    role: str,
    *,
    kind: str,
    ident: object,
) -> Member:
    """Membership with at least ``role``: NotFound for outsiders, Forbidden for low roles."""
    member = membership(session, workspace_id, user_id, kind=kind, ident=ident)
    member.require(role)
    return member


def fetch(
    session: Session,
    model: type[T],
    ident: uuid.UUID,
    user_id: uuid.UUID,
    role: str,
    *,
    kind: str,
) -> T:
    """The ``model`` row ``ident`` when the caller has at least ``role`` in its workspace.

    The one way a service reads a tenant row by id: NotFound when there is no such row and
    when the caller is not a member of its workspace (alike, so ids of other workspaces reveal
    nothing), Forbidden when the caller's role is lower than ``role``.
    """
    row = session.get(model, ident)
    if row is None:
        raise not_found(kind, ident)
    authorize(session, row.workspace_id, user_id, role, kind=kind, ident=ident)
    return row
