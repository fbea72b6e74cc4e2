"""The Makefile as make reads it: a comment after a variable's value leaves its spaces in the value (GNU make), so
`MICUENTA_BASE_URL ?= http://localhost:$(PORT)  # …` was a URL ending in two spaces and every command of `make run`
failed to parse it."""

from __future__ import annotations

import re
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parents[3] / "Makefile"
ASSIGNMENT = re.compile(r"^(?:[\w.-]+:\s*)?(?:export\s+)?[A-Z_]+\s*(?:\?=|:=|\+=|=)")


def test_no_variable_carries_a_comment_after_its_value():
    offending = [
        f"{number}: {line}"
        for number, line in enumerate(MAKEFILE.read_text().splitlines(), 1)
        if ASSIGNMENT.match(line) and "#" in line
    ]
    assert offending == []
