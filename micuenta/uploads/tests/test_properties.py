"""Whatever bytes arrive, the checks either refuse them or accept a file whose type its first bytes confirm."""

from __future__ import annotations

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from micuenta.uploads.inspect import CONTENT_TYPES, UploadRefused, upload_inspect
from micuenta.uploads.tests import files
from micuenta.uploads.tests.files import upload

MAGIC = {"pdf": b"%PDF-", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}

# Plain noise, noise behind each accepted magic number, and real files cut or changed at random places.
GOOD = [files.good_pdf(), files.jpeg_with_exif(), files.png_with_text(), files.pdf_with_uri_link()]
noise = st.binary(max_size=4096)
behind_magic = st.builds(lambda magic, tail: magic + tail, st.sampled_from(list(MAGIC.values())), noise)
cut = st.builds(lambda data, at: data[:at], st.sampled_from(GOOD), st.integers(min_value=0, max_value=8192))
flipped = st.builds(
    lambda data, at, byte: data[: at % len(data)] + bytes([byte]) + data[at % len(data) + 1 :],
    st.sampled_from(GOOD),
    st.integers(min_value=0, max_value=8192),
    st.integers(min_value=0, max_value=255),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(noise, behind_magic, cut, flipped), name=st.text(max_size=300))
@example(data=b"", name="")
@example(data=b"%PDF-1.7\n%%EOF", name="../../\u202e")
def test_any_bytes_are_refused_or_accepted_as_what_they_are(data, name):
    uploaded = upload("x", data)
    uploaded._name = name  # type: ignore[attr-defined]  # any name at all, past Django's own check of it
    try:
        clean = upload_inspect(uploaded, max_bytes=64 * 1024)
    except UploadRefused as refused:
        assert refused.message and str(refused.code)
        event(f"refused: {refused.code}")
        return
    event(f"accepted: {clean.kind}")
    assert data.startswith(MAGIC[clean.kind])
    assert clean.content.startswith(MAGIC[clean.kind])
    assert clean.content_type == CONTENT_TYPES[clean.kind]
    assert 0 < len(clean.name) <= 120 and "/" not in clean.name and "\\" not in clean.name
    assert clean.name.endswith({"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}[clean.kind])
    assert all(ch.isprintable() for ch in clean.name)
