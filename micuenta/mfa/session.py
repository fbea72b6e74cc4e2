"""What the second factor keeps in the person's session, for its views: the recovery codes just made (shown
once), the count of wrong passwords on its pages, and whether the account has a factor."""

from __future__ import annotations

import time

from django.http import HttpRequest

# Recovery codes just generated, shown once.
SESSION_NEW_CODES = "_micuenta_mfa_new_codes"
NEW_CODES_SHOWN_FOR = 15 * 60  # seconds the new codes stay readable in the session, if not confirmed saved
SESSION_WRONG_PASSWORDS = "_micuenta_mfa_wrong_passwords"
# Where a member of staff sent to enrol was going: they return there once the recovery codes are saved.
SESSION_STAFF_NEXT = "_micuenta_mfa_staff_next"


def session_enrolled(request: HttpRequest) -> bool:
    """Whether the signed-in account has a confirmed factor: the account's own flag, read with the account on
    every request (no session copy that a concurrent request could overwrite)."""
    return bool(getattr(request.user, "mfa_enabled", False))


def new_codes_hold(request: HttpRequest, codes: list[str]) -> None:
    """Keep the codes just made in the session, to show them once."""
    request.session[SESSION_NEW_CODES] = {"codes": codes, "until": time.time() + NEW_CODES_SHOWN_FOR}


def new_codes_drop(request: HttpRequest) -> None:
    request.session.pop(SESSION_NEW_CODES, None)


def new_codes(request: HttpRequest) -> list[str]:
    """The recovery codes just generated, while they may still be shown; afterwards they leave the session."""
    held = request.session.get(SESSION_NEW_CODES)
    if not isinstance(held, dict) or time.time() > float(held.get("until", 0)):
        new_codes_drop(request)
        return []
    return list(held.get("codes") or [])


def wrong_passwords(request: HttpRequest) -> int:
    """Wrong passwords given on the second factor's pages in this session."""
    return int(request.session.get(SESSION_WRONG_PASSWORDS, 0))


def wrong_passwords_set(request: HttpRequest, count: int) -> None:
    if count:
        request.session[SESSION_WRONG_PASSWORDS] = count
    else:
        request.session.pop(SESSION_WRONG_PASSWORDS, None)
