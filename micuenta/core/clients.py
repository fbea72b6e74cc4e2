"""What the security history may say about where a request came from: network, device, approximate place.

Never the full address: an IPv4 address is kept as its /24 and an IPv6 one as its /48.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

UNKNOWN_PLACE = "Ubicación no disponible"
LOCAL_PLACE = "Red local o privada"


@dataclass(frozen=True)
class ClientInfo:
    network: str
    device: str
    place: str


def request_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind the TLS proxy (BEHIND_TLS_PROXY=1) the address that the
    proxy appended last to X-Forwarded-For, which a client cannot forge."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


client_address = request_address


def network_of(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def place_of(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN_PLACE
    if ip.is_loopback or ip.is_private or ip.is_link_local:
        return LOCAL_PLACE
    # A geolocation database is not part of the portal; without one the place is not guessed.
    return UNKNOWN_PLACE


OS_NAMES = {"Mac OS X": "macOS", "iOS": "iPhone o iPad", "Windows": "Windows", "Android": "Android", "Linux": "Linux"}


@lru_cache(maxsize=512)
def device_of(user_agent: str) -> str:
    """`Mozilla/5.0 (Linux; Android 14; ...) Chrome/...` → `Chrome en Android`."""
    if not user_agent:
        return "Dispositivo desconocido"
    from ua_parser import parse

    result = parse(user_agent[:500])
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    browser = "" if browser in {"", "Other"} else browser.replace("Mobile", "").strip()
    system = "" if system in {"", "Other"} else OS_NAMES.get(system, system)
    if browser and system:
        return f"{browser} en {system}"[:120]
    return (browser or system or "Dispositivo desconocido")[:120]


def client_info(request: HttpRequest | None) -> ClientInfo:
    if request is None:
        return ClientInfo(network="", device="", place="")
    address = client_address(request)
    return ClientInfo(
        network=network_of(address),
        device=device_of(request.META.get("HTTP_USER_AGENT", "")),
        place=place_of(address),
    )
