"""The actor of the request being served, for the model signals that a view of a third party sets off.

The passkey ceremony (django-otp-webauthn's views) saves a credential; the `post_save` receiver records it in
the history and the audit trail as done by this actor. Set by `SecondFactorRequiredMiddleware`; None outside a
request (a command, the administration's shell).
"""

from __future__ import annotations

from contextvars import ContextVar

from micuenta.core.actors import Actor

current_actor: ContextVar[Actor | None] = ContextVar("mfa_current_actor", default=None)
