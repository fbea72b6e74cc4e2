"""Session rules enforced on the server: idle 15 minutes, absolute 12 hours, and no caching of signed-in pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_cache_control

from micuenta.core.actors import Actor
from micuenta.identity.clock import SESSION_LAST_ACTIVITY, SESSION_LOGIN_AT, SESSION_SEEN_WRITTEN
from micuenta.identity.services.sessions import device_session_seen
from micuenta.identity.throttling import sign_in_door_for

# Requests that do not count as activity (the idle warning asks for the time left without extending it).
PASSIVE_PATHS = ("/sesion/estado/",)
ACTIVITY_RESOLUTION = 15  # seconds
LAST_SEEN_EVERY = 60  # seconds between writes of DeviceSession.last_seen_at


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                logout(request)  # its device row ends on the user_logged_out signal
                messages.info(request, expired)
                if request.headers.get("accept", "").startswith("application/json"):
                    response = HttpResponse(status=401)
                else:
                    # Back to the sign-in of the door this page belongs to (the CESI's for /cesi/).
                    login_path = sign_in_door_for(request.path).sign_in_path
                    response = redirect(f"{login_path}?{urlencode({'next': request.path})}")
                add_never_cache_headers(response)
                return response
            if request.path not in PASSIVE_PATHS:
                self._touch(request)
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # A signed-in page must not stay in a shared computer's cache or in a proxy.
            patch_cache_control(response, no_store=True, no_cache=True, must_revalidate=True, private=True)
        return response

    def _expired(self, request: HttpRequest) -> str:
        if getattr(request.user, "security_locked_at", None) is not None:
            # Locked elsewhere ("No fui yo", staff): every session of the account ends at its next request.
            return (
                "Tu cuenta está bloqueada por seguridad y cerramos tu sesión. Te enviamos un correo con lo que debes "
                "hacer para desbloquearla."
            )
        now = time.time()
        session = request.session
        login_at = session.get(SESSION_LOGIN_AT)
        last = session.get(SESSION_LAST_ACTIVITY)
        if login_at is None or last is None:
            # A session from before these rules, or made by force_login in tests: start its clocks now.
            session[SESSION_LOGIN_AT] = login_at or now
            session[SESSION_LAST_ACTIVITY] = last or now
            return ""
        if now - float(login_at) >= settings.MICUENTA_SESSION_ABSOLUTE_SECONDS:
            return (
                "Por seguridad, tu sesión se cerró porque pasaron 12 horas desde que entraste. Vuelve a iniciar sesión."
            )
        if now - float(last) >= settings.MICUENTA_SESSION_IDLE_SECONDS:
            return "Por seguridad, tu sesión se cerró tras 15 minutos sin actividad. Vuelve a iniciar sesión."
        return ""

    def _touch(self, request: HttpRequest) -> None:
        now = time.time()
        previous = float(request.session.get(SESSION_LAST_ACTIVITY) or 0)
        if now - previous < ACTIVITY_RESOLUTION:
            return  # spare a session write on every click; the idle clock is exact to this many seconds
        request.session[SESSION_LAST_ACTIVITY] = now
        key = request.session.session_key
        written = float(request.session.get(SESSION_SEEN_WRITTEN) or 0)
        if key and now - written >= LAST_SEEN_EVERY:
            request.session[SESSION_SEEN_WRITTEN] = now
            device_session_seen(actor=Actor.of_request(request))
