"""What a person attaches, checked by its content: a PDF, a JPEG or a PNG, or a refusal (docs/uploads.md).

The type comes from the file's first bytes and a real parse, never from its name or the browser's content type.
A PDF is kept as received once pikepdf has opened it without repairing it and found no JavaScript, no action that
starts a program, no file inside and no encryption. An image is decoded whole by Pillow under a pixel ceiling and
encoded again, so that what is stored carries no metadata (EXIF, GPS, comments) and no bytes of the original.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

import pikepdf
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageFile, ImageOps

from micuenta.uploads.errors import UploadCode, UploadRefused

__all__ = [
    "CONTENT_TYPES",
    "CleanFile",
    "UploadCode",
    "UploadRefused",
    "clean_name",
    "upload_count_check",
    "upload_inspect",
]

PDF_MAGIC: Final = b"%PDF-"
JPEG_MAGIC: Final = b"\xff\xd8\xff"
PNG_MAGIC: Final = b"\x89PNG\r\n\x1a\n"
CONTENT_TYPES: Final = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS: Final = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
NAME_MAX_CHARS: Final = 120
DEFAULT_STEM: Final = "documento"
# A name's last suffix is dropped when it is one of these: "foto.jpeg" of a PNG becomes "foto.png", "acta.exe" of a
# PDF "acta.pdf"; any other ("constancia v1.2", "recibo.mayo") stays part of the name.
KNOWN_EXTENSIONS: Final = frozenset(
    {
        *("pdf", "jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "tif", "tiff", "webp", "heic", "heif", "avif"),
        *("svg", "svgz", "ico", "txt", "text", "html", "htm", "xhtml", "xml", "js", "zip", "rar", "7z", "gz", "tar"),
        *("doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "rtf", "csv", "eml", "msg"),
        *("exe", "bat", "cmd", "com", "scr", "msi", "apk", "dmg", "sh", "ps1"),
    }
)
# Where a PDF that is also a web page hides its HTML: right after the header, read by a browser that sniffs.
HTML_MARKERS: Final = re.compile(rb"<\s*(?:html|script|body|iframe|!doctype\s+html)", re.IGNORECASE)
PDF_HEAD_BYTES: Final = 1024
# "%%EOF" must close the file (within its last KiB, as readers allow): a cut download does not end with it.
PDF_TAIL_BYTES: Final = 1024


@dataclass(frozen=True)
class CleanFile:
    """An accepted file: what is stored (`content`) and how it is shown (`name`, `content_type`)."""

    name: str
    kind: str
    content_type: str
    content: bytes
    size: int
    sha256: str


def upload_inspect(uploaded: UploadedFile, *, max_bytes: int | None = None) -> CleanFile:
    """Check an attached file by its content; raise `UploadRefused` (nothing kept) or return what to store."""
    limit = settings.MICUENTA_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    data = read_capped(uploaded, limit)
    kind = kind_of(data)
    if kind == "pdf":
        pdf_check(data)
        content = data
    else:
        content = image_reencode(data, kind)
    return CleanFile(
        name=clean_name(uploaded.name or "", kind),
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def upload_count_check(count_after: int) -> None:
    """Refuse one file too many: `count_after` is how many a case would hold with the new ones."""
    limit = settings.MICUENTA_UPLOAD_MAX_FILES
    if count_after > limit:
        raise UploadRefused(UploadCode.TOO_MANY_FILES, details={"max_files": limit})


def read_capped(uploaded: UploadedFile, limit: int) -> bytes:
    """The file's bytes, refusing a file over `limit` by its declared size first and never reading past it."""
    if uploaded.size is not None and uploaded.size > limit:
        raise UploadRefused(UploadCode.TOO_LARGE, details={"max_bytes": limit})
    buffer = bytearray()
    for chunk in uploaded.chunks():
        buffer += chunk
        if len(buffer) > limit:
            raise UploadRefused(UploadCode.TOO_LARGE, details={"max_bytes": limit})
    if not buffer:
        raise UploadRefused(UploadCode.EMPTY)
    return bytes(buffer)


def kind_of(data: bytes) -> str:
    """The kind, "pdf", "jpeg" or "png", by the first bytes (a PDF's header at offset 0); anything else is refused."""
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(PNG_MAGIC):
        return "png"
    raise UploadRefused(UploadCode.TYPE_NOT_ALLOWED)


# --- PDF ------------------------------------------------------------------------------------------


def pdf_check(data: bytes) -> None:
    """Refuse a PDF that is also a web page, cut short, damaged, encrypted, or carrying scripts or files."""
    if HTML_MARKERS.search(data[:PDF_HEAD_BYTES]):
        raise UploadRefused(UploadCode.TYPE_NOT_ALLOWED)
    if b"%%EOF" not in data[-PDF_TAIL_BYTES:]:
        raise UploadRefused(UploadCode.PDF_DAMAGED)
    try:
        # No repair: a file qpdf would have to rebuild is not the document the person meant to send.
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            if pdf.is_encrypted:
                raise UploadRefused(UploadCode.PDF_ENCRYPTED)
            refusal = pdf_active_content(pdf)
    except UploadRefused:
        raise
    except pikepdf.PasswordError:
        raise UploadRefused(UploadCode.PDF_ENCRYPTED) from None
    except Exception:
        # Hostile input: whatever the parser trips on (PdfError, a decoding error...) is a damaged file.
        raise UploadRefused(UploadCode.PDF_DAMAGED) from None
    if refusal is not None:
        raise UploadRefused(refusal)


def pdf_active_content(pdf: pikepdf.Pdf) -> UploadCode | None:
    """The first thing a PDF holds that acts on its own or carries another file; None for a plain document.

    Every object of the file is read, reachable from the document or not, with the direct dictionaries and arrays
    inside it: JavaScript (an action /S /JavaScript, a /JS key, the /JavaScript name tree, an XFA form's scripts),
    an action that starts a program (/S /Launch), and files inside (/EmbeddedFiles, a file specification with /EF,
    an /EmbeddedFile stream, a file attachment or rich media annotation). /OpenAction and /AA are actions like any
    other, found wherever they point.
    """
    stack: list[pikepdf.Object] = list(pdf.objects)
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            entries = obj.stream_dict
        elif isinstance(obj, pikepdf.Dictionary):
            entries = obj
        elif isinstance(obj, pikepdf.Array):
            stack.extend(item for item in obj if is_container(item) and not item.is_indirect)
            continue
        else:
            continue
        code = dictionary_refusal(entries)
        if code is not None:
            return code
        stack.extend(value for value in entries.values() if is_container(value) and not value.is_indirect)
    return None


def is_container(value: object) -> bool:
    return isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)


def dictionary_refusal(entries: pikepdf.Dictionary) -> UploadCode | None:
    keys = set(entries.keys())
    action = entries.get("/S")
    if action == pikepdf.Name.JavaScript or keys & {"/JS", "/JavaScript", "/XFA"}:
        return UploadCode.PDF_JAVASCRIPT
    if action == pikepdf.Name.Launch:
        return UploadCode.PDF_LAUNCH
    if keys & {"/EmbeddedFiles", "/EF"}:
        return UploadCode.PDF_EMBEDDED_FILES
    if entries.get("/Type") == pikepdf.Name.EmbeddedFile:
        return UploadCode.PDF_EMBEDDED_FILES
    if entries.get("/Subtype") in (pikepdf.Name.FileAttachment, pikepdf.Name.RichMedia):
        return UploadCode.PDF_EMBEDDED_FILES
    return None


# --- Images ---------------------------------------------------------------------------------------

PIL_FORMATS: Final = {"jpeg": ["JPEG"], "png": ["PNG"]}
JPEG_MODES: Final = frozenset({"L", "RGB"})
PNG_MODES: Final = frozenset({"1", "L", "LA", "RGB", "RGBA", "I;16"})


# WeasyPrint, on import, tells Pillow to decode a cut image as far as it goes (ImageFile.LOAD_TRUNCATED_IMAGES) for
# the whole process. An attached file must be whole: the switch is turned off while one is decoded. Other threads
# see it off meanwhile, which only makes them stricter; the lock keeps two decodings from restoring it crosswise.
STRICT_DECODING_LOCK: Final = threading.Lock()


@contextmanager
def strict_decoding() -> Iterator[None]:
    with STRICT_DECODING_LOCK:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def image_reencode(data: bytes, kind: str) -> bytes:
    """Decode the whole image under the pixel ceiling and encode it again without metadata."""
    max_pixels: int = settings.MICUENTA_UPLOAD_MAX_PIXELS
    try:
        with strict_decoding(), warnings.catch_warnings():
            # Pillow's own bomb guard warns before it refuses: here that warning is a refusal too. Its other
            # warnings (a malformed EXIF tag...) say nothing a person or staff could act on.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=PIL_FORMATS[kind]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise UploadRefused(UploadCode.IMAGE_TOO_LARGE, details={"max_pixels": max_pixels})
                image.load()
                return image_encode(upright(image), kind)
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(UploadCode.IMAGE_TOO_LARGE, details={"max_pixels": max_pixels}) from None
    except Exception:
        # Hostile input: a truncated or malformed file makes Pillow raise OSError, SyntaxError, ValueError...
        raise UploadRefused(UploadCode.IMAGE_DAMAGED) from None


def upright(image: Image.Image) -> Image.Image:
    """The photo as the person saw it: EXIF's orientation applied before EXIF is dropped (a copy)."""
    return ImageOps.exif_transpose(image)


def image_encode(image: Image.Image, kind: str) -> bytes:
    if kind == "jpeg":
        if image.mode not in JPEG_MODES:
            image = image.convert("RGB")
        options: dict[str, object] = {"quality": 90, "optimize": True}
    else:
        if image.mode not in PNG_MODES:
            transparent = "transparency" in image.info or image.mode in {"PA", "RGBa", "La"}
            image = image.convert("RGBA" if transparent else "RGB")
        options = {"optimize": True}
    # Pillow writes some of `info` back by itself (a JPEG's comment): the new file gets none of it.
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG" if kind == "jpeg" else "PNG", **options)
    return out.getvalue()


# --- Names ----------------------------------------------------------------------------------------

# Characters no file name should show: controls, format characters (bidi overrides, zero-width), line and
# paragraph separators, surrogates, private use. Windows' reserved characters become "_".
DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
RESERVED: Final = re.compile(r'[<>:"|?*]')
SPACES: Final = re.compile(r"\s+")


def clean_name(raw: str, kind: str) -> str:
    """A display name: no folders, no invisible characters, at most 120 characters, the real type's extension."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = SPACES.sub(" ", name)  # a tab or a line break is a space; other controls go
    name = "".join(ch for ch in name if unicodedata.category(ch) not in DROPPED_CATEGORIES)
    name = SPACES.sub(" ", RESERVED.sub("_", name)).strip()
    while True:  # "acta.jpg.exe" of a PDF is "acta.pdf", not "acta.jpg.pdf"
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix.strip().lower() not in KNOWN_EXTENSIONS:
            break
        name = stem.rstrip()
    name = name.strip(" .")
    extension = EXTENSIONS[kind]
    stem = name[: NAME_MAX_CHARS - len(extension) - 1].rstrip(" .") or DEFAULT_STEM
    return f"{stem}.{extension}"
