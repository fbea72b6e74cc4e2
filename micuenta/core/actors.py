"""Who does something: every write of the portal is made by an `Actor` (docs/architecture.md, "The service contract").

An actor is a small value, built where a request, a command or a task enters the portal, and handed to services
as `actor=`. It names the online account that acts (a person or a member of staff) or the job of the system, the
roles it acts in, and where it acts from (the client address, the browser, the session). Services never read the
request or the session: what they need of it is here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.http import HttpRequest

from micuenta.core.clients import request_address


class ActorKind(StrEnum):
    PERSON = "persona"  # a worker or borrower with an online account, signed in
    ANONYMOUS = "anonimo"  # someone not signed in: registering, recovering an account, verifying a document
    STAFF = "personal"  # a member of the fund's staff (CESI, administration)
    SYSTEM = "sistema"  # a command, a background task or a feed, named by its job


# Roles a state machine may require (core.transitions). A signed-in worker acts as `persona`, the system as
# `sistema`; a member of staff holds no role by default: the view that checked their permission names it.
ROLE_PERSON = "persona"
ROLE_SYSTEM = "sistema"
ROLE_STAFF = "personal"


@dataclass(frozen=True)
class Actor:
    """Who acts, in which roles, from where. Built by views (`Actor.of_request`), commands and tasks
    (`Actor.system`); compare by value."""

    kind: ActorKind
    user_id: int | None = None
    job: str = ""  # the command or task, for the system; empty otherwise
    roles: frozenset[str] = field(default_factory=frozenset)
    address: str = ""  # the client's address (kept only in memory; audit rows keep its network)
    user_agent: str = ""
    session_key: str = ""

    @classmethod
    def system(cls, job: str) -> Actor:
        """The portal itself, doing `job` (a command's or a task's name, "import_employer_payments")."""
        return cls(kind=ActorKind.SYSTEM, job=job, roles=frozenset({ROLE_SYSTEM}))

    @classmethod
    def of_request(cls, request: HttpRequest, *, roles: frozenset[str] | None = None) -> Actor:
        """The person or member of staff behind a request (anonymous when nobody is signed in). A signed-in worker
        acts as `persona`; a member of staff only in the roles the view passes, those it checked they hold."""
        user: Any = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        staff = signed_in and bool(user.is_staff) and getattr(user, "worker_id", None) is None
        if not signed_in:
            kind = ActorKind.ANONYMOUS
        elif staff:
            kind = ActorKind.STAFF
        else:
            kind = ActorKind.PERSON
        default_roles = {ROLE_PERSON} if kind == ActorKind.PERSON else set()
        session = getattr(request, "session", None)
        return cls(
            kind=kind,
            user_id=user.pk if signed_in else None,
            roles=frozenset(default_roles) | ((roles or frozenset()) if kind == ActorKind.STAFF else frozenset()),
            address=request_address(request),
            user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:500],
            session_key=(session.session_key or "") if session is not None else "",
        )

    def with_user(self, user_id: int) -> Actor:
        """The same actor once it is known who it is (a sign-in, a registration that created the account)."""
        return Actor(
            kind=ActorKind.PERSON if self.kind == ActorKind.ANONYMOUS else self.kind,
            user_id=user_id,
            job=self.job,
            roles=self.roles | ({ROLE_PERSON} if self.kind == ActorKind.ANONYMOUS else set()),
            address=self.address,
            user_agent=self.user_agent,
            session_key=self.session_key,
        )

    @property
    def is_staff(self) -> bool:
        return self.kind == ActorKind.STAFF

    @property
    def session_digest(self) -> str:
        """A digest of the session key: enough to tell sessions apart in an audit row, useless to take one over."""
        if not self.session_key:
            return ""
        return hashlib.sha256(self.session_key.encode()).hexdigest()[:16]

    def __str__(self) -> str:
        if self.kind == ActorKind.SYSTEM:
            return f"sistema ({self.job})"
        if self.user_id is None:
            return str(self.kind)
        return f"{self.kind} #{self.user_id}"
