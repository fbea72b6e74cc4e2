"""What the feeds record in the audit trail (`core.audit`): who ran each chunk and what it posted."""

from __future__ import annotations

from micuenta.core.audit import AuditAction


class FeedAction(AuditAction):
    CHUNK_PROCESSED = "carga.bloque_procesado"
