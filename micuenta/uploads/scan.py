"""Virus scan of an attached file by ClamAV's daemon (clamd), when `MICUENTA_CLAMD` says where it listens.

Without it, or when the daemon does not answer, a file is kept unscanned (`SIN_ANALISIS`, with a warning in the
log): the caller records that, and staff see it. A file ClamAV finds infected is refused and never stored.
"""

from __future__ import annotations

import io
import logging
import socket
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import clamd
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from micuenta.uploads.errors import UploadCode, UploadRefused

logger = logging.getLogger(__name__)


class ScanResult(StrEnum):
    LIMPIO = "limpio"
    INFECTADO = "infectado"
    SIN_ANALISIS = "sin_analisis"


def upload_scan(content: bytes) -> ScanResult:
    """Scan `content` with clamd (INSTREAM); SIN_ANALISIS when no daemon is configured or it cannot answer."""
    address = settings.MICUENTA_CLAMD
    if not address:
        return ScanResult.SIN_ANALISIS
    try:
        answer = clamd_client(address).instream(io.BytesIO(content))
    except (clamd.ClamdError, OSError) as exc:
        # The exception's type only: its text may quote the daemon's address, never the file.
        logger.warning("virus scan unavailable error=%s: file kept unscanned", type(exc).__name__)
        return ScanResult.SIN_ANALISIS
    status, signature = (answer or {}).get("stream", (None, None))
    if status == "OK":
        return ScanResult.LIMPIO
    if status == "FOUND":
        logger.warning("virus scan found signature=%s: file refused", signature)
        return ScanResult.INFECTADO
    logger.warning("virus scan unavailable status=%s: file kept unscanned", status)
    return ScanResult.SIN_ANALISIS


def upload_scan_or_refuse(content: bytes) -> ScanResult:
    """`upload_scan`, raising `UploadRefused` ("archivo_infectado") for an infected file; else its result."""
    result = upload_scan(content)
    if result is ScanResult.INFECTADO:
        raise UploadRefused(UploadCode.INFECTED)
    return result


def clamd_client(address: str) -> Any:
    """A clamd client for "unix:///path" or "tcp://host:port", with the configured timeout on connect too."""
    timeout = settings.MICUENTA_CLAMD_TIMEOUT_SECONDS
    parts = urlsplit(address)
    if parts.scheme == "unix" and parts.path:
        return UnixClamd(path=parts.path, timeout=timeout)
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        return NetworkClamd(host=parts.hostname, port=parts.port, timeout=timeout)
    raise ImproperlyConfigured(f"MICUENTA_CLAMD must be unix:///path or tcp://host:port, not {address!r}")


# clamd's own clients connect without a timeout (a daemon that never answers would hold the request for good).


class TimeoutOnConnect:
    timeout: float
    clamd_socket: socket.socket | None = None

    def _close_socket(self) -> None:
        if self.clamd_socket is not None:
            self.clamd_socket.close()
            self.clamd_socket = None


class NetworkClamd(TimeoutOnConnect, clamd.ClamdNetworkSocket):
    host: str
    port: int

    def _init_socket(self) -> None:
        try:
            self.clamd_socket = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise clamd.ConnectionError(type(exc).__name__) from exc


class UnixClamd(TimeoutOnConnect, clamd.ClamdUnixSocket):
    unix_socket: str

    def _init_socket(self) -> None:
        self.clamd_socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.clamd_socket.settimeout(self.timeout)
        try:
            self.clamd_socket.connect(self.unix_socket)
        except OSError as exc:
            raise clamd.ConnectionError(type(exc).__name__) from exc
