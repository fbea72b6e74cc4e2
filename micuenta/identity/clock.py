"""The session's clocks, kept in the session itself: when it signed in and when it was last active.

`SessionSecurityMiddleware` ends a session on them (idle and absolute limits); the sign-in starts them.
"""

from __future__ import annotations

import time

from django.contrib.sessions.backends.base import SessionBase

SESSION_LOGIN_AT = "_micuenta_login_at"
SESSION_LAST_ACTIVITY = "_micuenta_last_activity"
SESSION_SEEN_WRITTEN = "_micuenta_seen_written"  # when DeviceSession.last_seen_at was last written


def clock_start(session: SessionBase) -> None:
    """Start the clocks of a session that has just signed in, and save it so that its key exists."""
    now = time.time()
    session[SESSION_LOGIN_AT] = now
    session[SESSION_LAST_ACTIVITY] = now
    session[SESSION_SEEN_WRITTEN] = now
    session.save()
