"""A PDF, a JPEG or a PNG is accepted by its content; anything else, or anything hostile, is refused and not kept."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from micuenta.uploads import errors
from micuenta.uploads.inspect import UploadCode, UploadRefused, clean_name, upload_count_check, upload_inspect
from micuenta.uploads.tests import files
from micuenta.uploads.tests.files import files_in, receive, upload

# --- Accepted -------------------------------------------------------------------------------------


def test_a_pdf_is_kept_as_received(private_dir):
    data = files.good_pdf()

    clean = upload_inspect(upload("acta de nacimiento.pdf", data, "application/octet-stream"))

    assert (clean.kind, clean.content_type, clean.name) == ("pdf", "application/pdf", "acta de nacimiento.pdf")
    assert clean.content == data
    assert clean.size == len(data)
    assert clean.sha256 == hashlib.sha256(data).hexdigest()


def test_a_pdf_written_by_hand_is_accepted():
    """The hand-written hostile PDFs below are refused for what they carry, not for how they are written."""
    assert upload_inspect(upload("carta.pdf", files.pdf_by_hand())).kind == "pdf"


def test_a_pdf_with_a_link_to_a_web_page_is_accepted():
    assert upload_inspect(upload("carta.pdf", files.pdf_with_uri_link())).kind == "pdf"


def test_a_jpeg_is_encoded_again_without_exif_gps_or_comment_and_upright(private_dir):
    original = files.jpeg_with_exif(orientation=6)  # "rotate 90°": the camera held sideways
    assert b"Exif" in original and b"Calle Falsa" in original

    storage_name = receive(upload("foto.JPG", original, "image/jpeg"))

    [stored] = files_in(private_dir)
    assert stored.name.endswith(".jpg") and storage_name.endswith(stored.name)
    content = stored.read_bytes()
    assert content != original
    assert b"Exif" not in content and b"Calle Falsa" not in content and b"Fabricante" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info and "comment" not in image.info
        assert image.size == (48, 64)  # turned as the photo was taken


def test_a_png_is_encoded_again_without_its_text(private_dir):
    original = files.png_with_text()

    clean = upload_inspect(upload("firma.png", original, "image/png"))

    assert (clean.kind, clean.content_type, clean.name) == ("png", "image/png", "firma.png")
    assert b"Ana Torres" in original and b"Ana Torres" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.format == "PNG" and image.mode == "RGBA" and image.size == (40, 30)
        assert "Author" not in image.info
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest() and clean.size == len(clean.content)


def test_a_palette_png_keeps_its_transparency():
    clean = upload_inspect(upload("sello.png", files.png_palette_transparent()))
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0)) == (255, 0, 0, 255)


@pytest.mark.parametrize(("mode", "kept_as"), [("CMYK", "RGB"), ("L", "L")])
def test_a_jpeg_in_print_colours_or_grey_is_kept_as_a_jpeg_a_browser_shows(mode, kept_as):
    original = files.image_bytes(Image.new(mode, (20, 20)), "JPEG")
    clean = upload_inspect(upload("escaneo.jpg", original))
    with Image.open(io.BytesIO(clean.content)) as image:
        assert (image.format, image.mode) == ("JPEG", kept_as)


def test_a_photo_whose_exif_is_broken_is_kept_as_it_stands():
    data = bytearray(files.jpeg_with_exif(orientation=6))
    at = data.index(b"Exif\0\0") + 6
    data[at : at + 2] = b"XX"  # neither "II" nor "MM": the EXIF block cannot be read
    clean = upload_inspect(upload("foto.jpg", bytes(data)))
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.size == (64, 48) and not image.getexif()


def test_the_type_comes_from_the_content_not_the_name_nor_the_browser():
    clean = upload_inspect(upload("foto.jpg", files.png_with_text(), "image/jpeg"))
    assert (clean.kind, clean.name) == ("png", "foto.png")


# --- Refused, and nothing stored -------------------------------------------------------------------

REFUSED = [
    pytest.param("acta.pdf", files.html_then_pdf, UploadCode.TYPE_NOT_ALLOWED, id="html-before-pdf"),
    pytest.param("acta.pdf", files.pdf_also_html_after_header, UploadCode.TYPE_NOT_ALLOWED, id="pdf-also-html"),
    pytest.param("acta.pdf", files.pdf_with_open_action_js, UploadCode.PDF_JAVASCRIPT, id="openaction-js"),
    pytest.param("acta.pdf", files.pdf_with_page_aa_js, UploadCode.PDF_JAVASCRIPT, id="page-aa-js"),
    pytest.param("acta.pdf", files.pdf_with_js_name_tree, UploadCode.PDF_JAVASCRIPT, id="names-javascript"),
    pytest.param("acta.pdf", files.pdf_with_js_in_object_stream, UploadCode.PDF_JAVASCRIPT, id="js-object-stream"),
    pytest.param("acta.pdf", files.pdf_with_obfuscated_js, UploadCode.PDF_JAVASCRIPT, id="js-name-escaped"),
    pytest.param("acta.pdf", files.pdf_with_orphan_js, UploadCode.PDF_JAVASCRIPT, id="js-unreferenced"),
    pytest.param("acta.pdf", files.pdf_with_xfa, UploadCode.PDF_JAVASCRIPT, id="xfa-form"),
    pytest.param("acta.pdf", files.pdf_with_launch, UploadCode.PDF_LAUNCH, id="openaction-launch"),
    pytest.param("acta.pdf", files.pdf_with_launch_link, UploadCode.PDF_LAUNCH, id="link-launch"),
    pytest.param("acta.pdf", files.pdf_with_embedded_file, UploadCode.PDF_EMBEDDED_FILES, id="embedded-file"),
    pytest.param(
        "acta.pdf", files.pdf_with_file_attachment_annotation, UploadCode.PDF_EMBEDDED_FILES, id="attachment-annot"
    ),
    pytest.param(
        "acta.pdf", files.pdf_with_untyped_embedded_file, UploadCode.PDF_EMBEDDED_FILES, id="embedded-file-untyped"
    ),
    pytest.param(
        "acta.pdf", files.pdf_with_orphan_embedded_file, UploadCode.PDF_EMBEDDED_FILES, id="embedded-file-stream"
    ),
    pytest.param("acta.pdf", files.pdf_encrypted, UploadCode.PDF_ENCRYPTED, id="encrypted-user-password"),
    pytest.param("acta.pdf", lambda: files.pdf_encrypted(user=""), UploadCode.PDF_ENCRYPTED, id="encrypted-owner"),
    pytest.param("acta.pdf", files.pdf_truncated, UploadCode.PDF_DAMAGED, id="truncated-pdf"),
    pytest.param(
        "acta.pdf", lambda: files.good_pdf().replace(b"xref", b"xrex"), UploadCode.PDF_DAMAGED, id="broken-xref"
    ),
    pytest.param("acta.pdf", lambda: b"%PDF-1.7\n%%EOF\n", UploadCode.PDF_DAMAGED, id="header-only-pdf"),
    pytest.param("acta.pdf", files.zip_archive, UploadCode.TYPE_NOT_ALLOWED, id="zip-named-pdf"),
    pytest.param("foto.gif", files.gif, UploadCode.TYPE_NOT_ALLOWED, id="gif"),
    pytest.param("firma.svg", lambda: files.SVG, UploadCode.TYPE_NOT_ALLOWED, id="svg"),
    pytest.param("foto.jpg", lambda: files.TEXT, UploadCode.TYPE_NOT_ALLOWED, id="text-named-jpg"),
    pytest.param("foto.jpg", lambda: files.truncated(files.noisy_jpeg()), UploadCode.IMAGE_DAMAGED, id="cut-jpeg"),
    pytest.param("foto.png", lambda: files.truncated(files.noisy_png()), UploadCode.IMAGE_DAMAGED, id="cut-png"),
    pytest.param("foto.jpg", lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 40, UploadCode.IMAGE_DAMAGED, id="bad-jpeg"),
    pytest.param(
        "plano.png", lambda: files.png_header_only(40_000, 40_000), UploadCode.IMAGE_TOO_LARGE, id="png-40000x40000"
    ),
    pytest.param(
        "plano.png", lambda: files.png_header_only(8_000, 8_000), UploadCode.IMAGE_TOO_LARGE, id="png-64-megapixels"
    ),
    pytest.param("acta.pdf", lambda: b"", UploadCode.EMPTY, id="empty"),
    pytest.param("acta.pdf", lambda: b"%PDF-1.7\n" + b"\0" * (12 * 1024 * 1024), UploadCode.TOO_LARGE, id="12-mb"),
]


@pytest.mark.parametrize(("name", "make", "code"), REFUSED)
def test_refused_with_a_message_and_nothing_stored(private_dir, name, make, code):
    with pytest.raises(UploadRefused) as refused:
        receive(upload(name, make()))

    assert refused.value.code is code
    assert refused.value.message == errors.refusal_message(code, refused.value.details)
    assert refused.value.as_dict()["code"] == str(code)
    assert files_in(private_dir) == []


@pytest.mark.parametrize("make", [files.noisy_jpeg, files.noisy_png], ids=["jpeg", "png"])
def test_a_cut_image_is_refused_even_where_weasyprint_told_pillow_to_accept_cut_images(monkeypatch, make):
    import weasyprint  # noqa: F401 - on import it sets ImageFile.LOAD_TRUNCATED_IMAGES for the process
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload("foto", files.truncated(make())))
    assert refused.value.code is UploadCode.IMAGE_DAMAGED
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was for WeasyPrint


def test_a_decompression_bomb_that_pillow_only_warns_about_is_refused_too(settings):
    """10,000 × 10,000 is past Pillow's warning (89 Mpx) but under its own refusal: the warning refuses it here."""
    settings.MICUENTA_UPLOAD_MAX_PIXELS = 10**9
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload("plano.png", files.png_header_only(10_000, 10_000)))
    assert refused.value.code is UploadCode.IMAGE_TOO_LARGE


def test_the_pixel_ceiling_is_a_setting(settings):
    settings.MICUENTA_UPLOAD_MAX_PIXELS = 1_000
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload("firma.png", files.png_with_text()))  # 1,200 pixels
    assert refused.value.code is UploadCode.IMAGE_TOO_LARGE
    assert refused.value.details == {"max_pixels": 1_000}


def test_a_picture_over_50_megapixels_says_so():
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload("plano.png", files.png_header_only(10_000, 6_000)))
    assert refused.value.message.startswith("La imagen tiene más de 50 megapíxeles.")


def test_a_file_over_the_limit_by_its_declared_size_is_refused_without_being_read():
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(files.DeclaredSize("escaneo.pdf", 12 * 1024 * 1024))
    assert refused.value.code is UploadCode.TOO_LARGE
    assert refused.value.message.startswith("El archivo pesa más de 10 MB.")
    assert refused.value.details == {"max_bytes": 10 * 1024 * 1024}


def test_a_file_that_says_it_is_small_is_still_cut_at_the_limit():
    lying = upload("acta.pdf", files.good_pdf())
    lying.size = 10
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(lying, max_bytes=100)
    assert refused.value.code is UploadCode.TOO_LARGE


def test_the_size_limit_is_a_setting_and_a_trámite_may_lower_it(settings):
    data = files.good_pdf()
    upload_inspect(upload("acta.pdf", data), max_bytes=len(data))
    with pytest.raises(UploadRefused):
        upload_inspect(upload("acta.pdf", data), max_bytes=len(data) - 1)
    settings.MICUENTA_UPLOAD_MAX_BYTES = 3 * 1024 * 1024 // 2
    with pytest.raises(UploadRefused) as refused:
        upload_inspect(upload("acta.pdf", b"%PDF-" + b"\0" * (2 * 1024 * 1024)))
    assert "1.5 MB" in refused.value.message


def test_every_refusal_has_a_spanish_message_that_says_what_to_do():
    for code in UploadCode:
        message = errors.refusal_message(code, {"max_bytes": 10 * 1024 * 1024, "max_files": 10, "max_pixels": 50**6})
        assert message.endswith(".") and len(message) > 40, code
        assert any(verb in message for verb in ("Adjunta", "adjunta", "Quita", "Guárdalo", "Ábrelo", "Toma")), code


# --- Names ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("../../x.pdf", "pdf", "x.pdf"),
        ("C:\\Users\\ana\\Documentos\\acta.pdf", "pdf", "acta.pdf"),
        ("/etc/passwd", "pdf", "passwd.pdf"),
        ("acta\x00de\x07 nacimiento\r\n.pdf", "pdf", "actade nacimiento.pdf"),
        ("recibo\u202efdp.exe", "pdf", "recibofdp.pdf"),  # a bidi override that would show "recibo exe.pdf"
        ("foto\u200b\u2066.jpeg", "jpeg", "foto.jpg"),
        ("acta.jpg.exe", "pdf", "acta.pdf"),
        ("constancia v1.2", "pdf", "constancia v1.2.pdf"),
        ("   ", "png", "documento.png"),
        ("..", "pdf", "documento.pdf"),
        (".pdf", "pdf", "documento.pdf"),
        ("", "jpeg", "documento.jpg"),
        ('acta "final": <2024>?.pdf', "pdf", "acta _final__ _2024__.pdf"),
        ("Comprobante de domicilio — CFE.PDF", "pdf", "Comprobante de domicilio — CFE.pdf"),
    ],
)
def test_names_are_cleaned(raw, kind, expected):
    assert clean_name(raw, kind) == expected


def test_a_long_name_is_cut_to_120_characters_keeping_its_extension():
    name = clean_name("á" * 300 + ".pdf", "pdf")
    assert len(name) == 120 and name.endswith("á.pdf")


def test_a_path_in_the_name_is_accepted_and_cleaned(private_dir):
    clean = upload_inspect(upload("../../x.pdf", files.good_pdf()))
    assert clean.name == "x.pdf"


def test_control_characters_in_the_name_are_dropped():
    clean = upload_inspect(upload("acta\x1b[31m\x00.pdf", files.good_pdf()))
    assert clean.name == "acta[31m.pdf"


# --- How many ---------------------------------------------------------------------------------------


def test_up_to_the_configured_number_of_files(settings):
    upload_count_check(10)
    with pytest.raises(UploadRefused) as refused:
        upload_count_check(11)
    assert refused.value.code is UploadCode.TOO_MANY_FILES
    assert "hasta 10 archivos" in refused.value.message

    settings.MICUENTA_UPLOAD_MAX_FILES = 2
    upload_count_check(2)
    with pytest.raises(UploadRefused):
        upload_count_check(3)
