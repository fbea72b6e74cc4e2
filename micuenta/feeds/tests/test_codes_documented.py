"""Every quarantine code a feed can give is documented, and every documented code exists (docs/feeds.md,
docs/credits.md): staff read the code in the back office and look it up there."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from micuenta.credits.errors import BankLineCode
from micuenta.employment.errors import ImssLineCode
from micuenta.feeds.errors import LineCode
from micuenta.savings.errors import SuaLineCode

DOCS = Path(settings.BASE_DIR) / "docs"


def _codes(text: str) -> set[str]:
    return set(re.findall(r"`([a-z][a-z0-9_]*)`", text))


def test_the_imss_and_sua_quarantine_codes_are_the_table_of_docs_feeds():
    feeds = (DOCS / "feeds.md").read_text()
    table = feeds[feeds.index("## Quarantine reasons") : feeds.index("## What employers owe")]
    codes = {str(code) for enum in (LineCode, ImssLineCode, SuaLineCode) for code in enum}
    assert _codes(table) == codes


def test_the_bank_files_quarantine_codes_are_listed_in_docs_credits():
    credits = (DOCS / "credits.md").read_text()
    listed = credits[credits.index("Quarantine codes:") : credits.index("## What the borrower sees")]
    codes = {str(code) for code in BankLineCode} | {"fecha_invalida", "fecha_futura", "importe_invalido",
                                                     "importe_excesivo", "importe_sin_dos_decimales"}  # fmt: skip
    assert _codes(listed) == codes
