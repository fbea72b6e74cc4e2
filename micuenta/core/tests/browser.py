"""Browser-test helpers: axe-core checks, narrow screens, keyboard reachability."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return the serious and critical violations."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations: list[dict[str, Any]] = results.response["violations"]
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def assert_accessible(page: Page) -> None:
    blocking = axe_violations(page)
    detail = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:5]}" for v in blocking
    )
    assert not blocking, f"axe-core found serious or critical violations on {page.url}:\n{detail}"


def assert_fits_width(page: Page, width: int) -> None:
    """At `width` CSS pixels the page must not scroll sideways (WCAG 1.4.10 reflow)."""
    page.set_viewport_size({"width": width, "height": 800})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at a {width}px viewport"


def assert_no_sideways_scroll(page: Page, width: int = 390) -> None:
    """At `width` CSS pixels neither the page nor any box inside it (a table's wrapper) scrolls sideways, and
    every figure is inside the viewport: docs/ui.md, "Tables with money"."""
    assert_fits_width(page, width)
    hidden = page.evaluate(
        """(width) => {
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
                const style = getComputedStyle(el);
                if (style.display === 'none' || style.visibility === 'hidden') continue;
                if (el.closest('thead, [hidden], .visually-hidden, .skip-link, dialog:not([open])')) continue;
                const scrolls = ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
                const r = el.getBoundingClientRect();
                const outside = r.width > 0 && (r.right > width + 1 || r.left < -1) && el.children.length === 0
                    && el.textContent.trim() !== '';
                if (scrolls || outside) out.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                    + ': ' + el.textContent.trim().slice(0, 40));
            }
            return out.slice(0, 10);
        }""",
        width,
    )
    assert not hidden, f"{page.url} at {width}px has content that needs sideways scrolling: {hidden}"


def tab_to(page: Page, target: Locator, *, max_presses: int = 40) -> int:
    """Press Tab from the top of the page until `target` has focus; return how many presses it took."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    handle = target.element_handle()
    assert handle is not None, "target not on the page"
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return presses
    raise AssertionError(f"{target} was not reached with {max_presses} presses of Tab")


def assert_visible_focus(page: Page) -> None:
    """The focused element draws an outline or a box shadow (WCAG 2.4.7)."""
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"
    )
    has_outline = style["outline"] != "none" and style["width"] not in ("0px", "")
    assert has_outline or style["shadow"] != "none", f"focused element shows no focus indicator: {style}"


SHOTS = os.environ.get("MICUENTA_SHOTS", "")  # a folder: each checked page is also saved there, to be looked at


def checked_at_both_widths(page: Page, name: str) -> None:
    """axe-core and no sideways scrolling at 390 and 1280 px; with MICUENTA_SHOTS, a full-page screenshot of each."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        assert_no_sideways_scroll(page, width)
        if SHOTS:
            taken = len(list(Path(SHOTS).glob(f"{name}-*.png")))
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{taken:02d}-{width}.png"), full_page=True)
