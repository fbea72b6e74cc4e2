"""Why an attached file is refused: a stable code for programs, a Spanish message that says what to do."""

from __future__ import annotations

from micuenta.core.errors import ApplicationError, ErrorCode


class UploadCode(ErrorCode):
    EMPTY = "archivo_vacio"
    TYPE_NOT_ALLOWED = "tipo_no_permitido"
    TOO_LARGE = "archivo_muy_grande"
    PDF_ENCRYPTED = "pdf_cifrado"
    PDF_JAVASCRIPT = "pdf_con_javascript"
    PDF_LAUNCH = "pdf_ejecuta_programas"
    PDF_EMBEDDED_FILES = "pdf_con_archivos_incrustados"
    PDF_DAMAGED = "pdf_danado"
    IMAGE_TOO_LARGE = "imagen_demasiado_grande"
    IMAGE_DAMAGED = "imagen_danada"
    TOO_MANY_FILES = "demasiados_archivos"
    INFECTED = "archivo_infectado"


class UploadRefused(ApplicationError):
    """An attached file that is not kept. Nothing of it is stored; the message tells the person what to do."""

    code: UploadCode

    def __init__(self, code: UploadCode, *, details: dict[str, int] | None = None) -> None:
        super().__init__(code, refusal_message(code, details or {}), details=dict(details or {}))


REPRINT = "Ábrelo y guárdalo como un PDF nuevo (Imprimir › Guardar como PDF) y adjunta ese."


def refusal_message(code: UploadCode, details: dict[str, int]) -> str:
    """The person's message for a refusal; `details` carries the limits it quotes (`max_bytes`, `max_files`...)."""
    if code is UploadCode.TOO_LARGE:
        size = megabytes(details.get("max_bytes", 0))
        return (
            f"El archivo pesa más de {size}. Adjunta uno más ligero: escanéalo con menor resolución o en blanco y "
            "negro, o toma la foto sin zoom."
        )
    if code is UploadCode.TOO_MANY_FILES:
        return (
            f"Puedes adjuntar hasta {details.get('max_files', 0)} archivos. Quita alguno de los que ya adjuntaste "
            "antes de agregar otro."
        )
    if code is UploadCode.IMAGE_TOO_LARGE:
        megapixels = details.get("max_pixels", 0) / 1_000_000
        return (
            f"La imagen tiene más de {megapixels:g} megapíxeles. Tómala o escanéala con menor resolución y vuelve a "
            "adjuntarla."
        )
    return MESSAGES[code]


MESSAGES = {
    UploadCode.EMPTY: "El archivo está vacío. Vuelve a adjuntarlo desde tu dispositivo.",
    UploadCode.TYPE_NOT_ALLOWED: (
        "Solo aceptamos documentos PDF y fotos JPG o PNG. Guarda tu documento en uno de esos formatos y vuelve a "
        "adjuntarlo."
    ),
    UploadCode.PDF_ENCRYPTED: (
        "El PDF tiene contraseña o está protegido. Guárdalo sin protección y vuelve a adjuntarlo."
    ),
    UploadCode.PDF_JAVASCRIPT: f"El PDF contiene programas (JavaScript) y no podemos aceptarlo. {REPRINT}",
    UploadCode.PDF_LAUNCH: f"El PDF intenta abrir otros programas y no podemos aceptarlo. {REPRINT}",
    UploadCode.PDF_EMBEDDED_FILES: (
        "El PDF lleva otros archivos dentro. Adjunta cada documento por separado, como PDF, JPG o PNG."
    ),
    UploadCode.PDF_DAMAGED: (
        "No pudimos abrir el PDF: parece dañado o incompleto. Descárgalo o escanéalo otra vez y vuelve a adjuntarlo."
    ),
    UploadCode.IMAGE_DAMAGED: (
        "No pudimos abrir la imagen: parece dañada o incompleta. Toma la foto o escanea el documento otra vez y "
        "vuelve a adjuntarla."
    ),
    UploadCode.INFECTED: (
        "El archivo tiene un virus y no lo guardamos. Revisa tu dispositivo con un antivirus y adjunta una copia "
        "limpia del documento."
    ),
}


def megabytes(size: int) -> str:
    """10485760 → "10 MB"; 1572864 → "1.5 MB" (binary megabytes, as the limit is written in the settings)."""
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
