"""Sign-in with the e-mail address or the NSS, and the password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from micuenta.identity.models import User


def account_for_identifier(identifier: str) -> User | None:
    """The account named by an e-mail address or an 11-digit NSS, or None."""
    identifier = (identifier or "").strip()
    if not identifier or "\x00" in identifier:
        # No account is named with a NUL character, and PostgreSQL refuses it in a query's text.
        return None
    if identifier.isdigit():
        if len(identifier) != 11:
            return None
        return User.objects.select_related("worker").filter(worker__nss=identifier).first()
    return User.objects.by_email(identifier).select_related("worker").first()


class EmailOrNssBackend(ModelBackend):
    """Like Django's ModelBackend, but the "username" may be the e-mail address or the NSS.

    An unknown identifier still costs one password hash, so that the time of the answer does not tell
    whether an account exists.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        user = account_for_identifier(username)
        if user is None:
            User().set_password(password)  # same work as a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
