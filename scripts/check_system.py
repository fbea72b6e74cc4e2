"""Stop early, with the package to install, when a system library the portal needs is missing."""

from __future__ import annotations

import sqlite3
import sys

PANGO_HELP = """\
Missing system library: Pango (WeasyPrint needs it to make the portal's PDF documents).
Install it, then run the command again:
  Debian / Ubuntu:  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0
  Fedora / RHEL:    sudo dnf install pango
  Alpine:           sudo apk add pango
  macOS (Homebrew): brew install pango
"""

MIN_SQLITE = (3, 35, 0)  # RETURNING, used by Django's bulk operations


def main() -> int:
    problems = []
    if sys.version_info < (3, 11):  # noqa: UP036 (this script may run on an older interpreter)
        problems.append(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        wanted = ".".join(map(str, MIN_SQLITE))
        problems.append(f"SQLite {wanted} or newer is needed; Python links {sqlite3.sqlite_version}.")
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        problems.append(f"{PANGO_HELP}  (the loader said: {exc})")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
