"""The feeds' audited actions."""

from __future__ import annotations

from micuenta.core.audit import AuditAction


class FeedAction(AuditAction):
    CHUNK_PROCESSED = "carga.bloque_procesado"
