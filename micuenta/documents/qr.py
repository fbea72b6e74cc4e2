"""The QR code printed on official documents: the verification URL, as inline SVG for WeasyPrint (segno)."""

from __future__ import annotations

import io

import segno


def qr_svg(content: str, *, scale: int = 3) -> str:
    """`content` as a QR code (error correction M), an <svg> element to place in the document's HTML."""
    buffer = io.BytesIO()
    segno.make(content, error="m", micro=False).save(
        buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, title="Código QR de verificación"
    )
    return buffer.getvalue().decode()
