"""Where passkeys work: the relying party's id and the allowed origin follow the address the portal is served on.

WebAuthn forbids an IP address as the relying party's id (https://www.w3.org/TR/webauthn-3/#rp-id), so a loopback
address becomes `localhost`: the demo (`make run`) is served and announced at http://localhost:8000/.
No Django import at module level: `micuenta/settings.py` uses `webauthn_site`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK = frozenset({"127.0.0.1", "::1", "0.0.0.0", "localhost"})  # noqa: S104 - names, not a bind address


def webauthn_site(base_url: str) -> tuple[str, str]:
    """`http://127.0.0.1:8000` → (`localhost`, `http://localhost:8000`); `https://micuenta.example.mx` →
    (`micuenta.example.mx`, `https://micuenta.example.mx`)."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "localhost").lower()
    if host in LOOPBACK:
        host = "localhost"
    scheme = parts.scheme or "http"
    port = f":{parts.port}" if parts.port and (scheme, parts.port) not in (("http", 80), ("https", 443)) else ""
    return host, f"{scheme}://{host}{port}"


def passkey_address(scheme: str, host: str, allowed_origins: list[str]) -> str:
    """The address to open instead, when this request's origin is not one passkeys accept there; "" when it is."""
    origin = f"{scheme}://{host}".lower()
    if not allowed_origins or origin in (o.lower() for o in allowed_origins):
        return ""
    return allowed_origins[0]
