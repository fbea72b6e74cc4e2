"""Files people might attach, good and hostile, made here: no binary fixture is kept in the repository."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

from micuenta.uploads.inspect import upload_inspect
from micuenta.uploads.scan import upload_scan_or_refuse
from micuenta.uploads.storage import upload_store


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """As Django hands a view a file: the browser's name and content type, which the checks ignore."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def receive(uploaded: UploadedFile, *, prefix: str = "pruebas") -> str:
    """What a trámite does with a file (docs/uploads.md): inspect, scan, store."""
    clean = upload_inspect(uploaded)
    upload_scan_or_refuse(clean.content)
    return upload_store(clean, prefix=prefix)


def files_in(location: Path) -> list[Path]:
    return [path for path in location.rglob("*") if path.is_file()] if location.exists() else []


# --- PDF ------------------------------------------------------------------------------------------


def pdf_made(change: Callable[[pikepdf.Pdf], Any] | None = None, **save: Any) -> bytes:
    """A one-page PDF, changed by `change` before it is saved (pikepdf writes a correct xref)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    if change is not None:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def good_pdf() -> bytes:
    return pdf_made()


def js_action() -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String("app.alert('hola')"))


def pdf_with_open_action_js() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = js_action()

    return pdf_made(change)


def pdf_with_page_aa_js() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.AA = Dictionary(O=js_action())

    return pdf_made(change)


def pdf_with_js_name_tree() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        tree = Dictionary(Names=Array([String("inicio"), pdf.make_indirect(js_action())]))
        pdf.Root.Names = Dictionary(JavaScript=pdf.make_indirect(tree))

    return pdf_made(change)


def pdf_with_js_in_object_stream() -> bytes:
    """The action in a compressed object stream, where the raw bytes never spell "JavaScript"."""

    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pdf.make_indirect(js_action())

    data = pdf_made(change, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"JavaScript" not in data
    return data


def pdf_with_xfa() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        xfa = pdf.make_stream(b"<xdp:xdp><script>app.alert(1)</script></xdp:xdp>")
        pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)

    return pdf_made(change)


def pdf_with_launch() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = Dictionary(S=Name.Launch, F=String("C:\\Windows\\System32\\calc.exe"))

    return pdf_made(change)


def pdf_with_launch_link() -> bytes:
    """A link that starts a program when clicked, on the page's annotations."""

    def change(pdf: pikepdf.Pdf) -> None:
        link = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([0, 0, 100, 100]),
            A=Dictionary(S=Name.Launch, F=String("/bin/sh")),
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))

    return pdf_made(change)


def pdf_with_uri_link() -> bytes:
    """An ordinary link to a web page: allowed."""

    def change(pdf: pikepdf.Pdf) -> None:
        link = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([0, 0, 100, 100]),
            A=Dictionary(S=Name.URI, URI=String("https://portalmx.infonavit.org.mx/")),
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))

    return pdf_made(change)


def pdf_with_embedded_file() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["nota.txt"] = pikepdf.AttachedFileSpec(pdf, b"hola", mime_type="text/plain")

    return pdf_made(change)


def pdf_with_file_attachment_annotation() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        note = Dictionary(
            Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 20, 20]), Contents=String("nota")
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(note)]))

    return pdf_made(change)


def pdf_encrypted(user: str = "secreta") -> bytes:
    return pdf_made(encryption=pikepdf.Encryption(owner="duena", user=user))


def pdf_truncated() -> bytes:
    data = good_pdf()
    return data[: len(data) * 2 // 3]


def raw_pdf(objects: list[bytes], *, header_comment: bytes = b"%\xe2\xe3\xcf\xd3") -> bytes:
    """A PDF written by hand (object 1 is the catalog), with a correct xref: for what pikepdf would not write."""
    out = bytearray(b"%PDF-1.7\n" + header_comment + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGE_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
]


def pdf_by_hand() -> bytes:
    """The hand-written PDF without anything active (the page's rotation is an indirect number): accepted."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Rotate 4 0 R >>"
    return raw_pdf([*PAGE_OBJECTS[:2], page, b"0"])


def pdf_with_orphan_embedded_file() -> bytes:
    return raw_pdf([*PAGE_OBJECTS, b"<< /Type /EmbeddedFile /Length 4 >>\nstream\nhola\nendstream"])


def pdf_with_untyped_embedded_file() -> bytes:
    """A file specification whose /EF stream does not say it is an embedded file."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
            *PAGE_OBJECTS[1:],
            b"<< /Names [(nota.txt) 5 0 R] >>",
            b"<< /Type /Filespec /F (nota.txt) /EF << /F 6 0 R >> >>",
            b"<< /Length 4 >>\nstream\nhola\nendstream",
        ]
    )


def pdf_with_obfuscated_js() -> bytes:
    """/OpenAction's type spelled with a #-escape (/J#61vaScript): the parser reads /JavaScript."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    return raw_pdf([catalog, *PAGE_OBJECTS[1:], b"<< /S /J#61vaScript /JS (app.alert\\(1\\)) >>"])


def pdf_with_orphan_js() -> bytes:
    """JavaScript in an object nothing points to: a reader that repairs the file could still find it."""
    return raw_pdf([*PAGE_OBJECTS, b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"])


def pdf_also_html_after_header() -> bytes:
    """A valid PDF whose comment line after the header is a web page, for a browser that sniffs."""
    return raw_pdf(PAGE_OBJECTS, header_comment=b"%<html><script>alert(document.cookie)</script></html>")


def html_then_pdf() -> bytes:
    return b"<html><body><script>alert(1)</script></body></html>\n" + good_pdf()


def pdf_with_eicar(eicar: bytes) -> bytes:
    """A sound PDF that carries the EICAR test string in a comment: only the virus scan can refuse it."""
    return raw_pdf(PAGE_OBJECTS, header_comment=b"%" + eicar)


# --- Images ---------------------------------------------------------------------------------------


def image_bytes(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg_with_exif(*, orientation: int = 1) -> bytes:
    """A 64×48 photo with a camera, a GPS position, a comment and an orientation."""
    exif = Image.Exif()
    exif[0x010F] = "Fabricante de la cámara"  # Make
    exif[0x0131] = "Editor de fotos 1.0"  # Software
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (19.0, 25.0, 57.0), 3: "W", 4: (99.0, 7.0, 59.0)})  # GPS
    image = Image.new("RGB", (64, 48), (200, 40, 40))
    return image_bytes(image, "JPEG", exif=exif, comment=b"Calle Falsa 123")


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Ana Torres")
    return image_bytes(Image.new("RGBA", (40, 30), (0, 120, 200, 128)), "PNG", pnginfo=info)


def png_palette_transparent() -> bytes:
    image = Image.new("P", (16, 16), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * (256 * 3 - 6))
    return image_bytes(image, "PNG", transparency=0)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` 1-bit pixels with a few bytes of data: a decompression bomb's header."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def noisy_jpeg() -> bytes:
    """Big enough that half of it is a real cut, not just a missing end marker."""
    image = Image.effect_noise((256, 256), 80).convert("RGB")
    return image_bytes(image, "JPEG", quality=95)


def noisy_png() -> bytes:
    return image_bytes(Image.effect_noise((256, 256), 80), "PNG")


def gif() -> bytes:
    return image_bytes(Image.new("P", (8, 8)), "GIF")


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
TEXT = b"Esto no es una foto.\n"


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("acta.pdf", good_pdf())
    return out.getvalue()


class DeclaredSize(UploadedFile):
    """A file whose size Django already knows (the upload handler counted it) and that must not be read."""

    def __init__(self, name: str, size: int) -> None:
        super().__init__(file=io.BytesIO(), name=name, content_type="application/pdf", size=size)

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        raise AssertionError("the file was read although its size was already too large")
