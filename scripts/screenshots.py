"""Screenshot the portal's pages at phone and desktop widths: `python scripts/screenshots.py URL OUTDIR`.

Signs in with the first demo account to capture the signed-in pages. Needs a running portal in demo mode
(make run) and Debian's Chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PUBLIC = {
    "inicio": "/",
    "login": "/iniciar-sesion/",
    "404": "/no-existe/",
    "buzon": "/dev/buzon/",
    "personas": "/dev/personas/",
    "registro-paso-1": "/quiero-una-cuenta/",
    "olvide-contrasena": "/olvide-mi-contrasena/",
    "sin-correo": "/no-tengo-acceso-a-mi-correo/",
    "borrar-cuenta": "/borrar-mi-cuenta/",
    "cesi": "/acude-a-un-cesi/",
    "cesi-personal": "/cesi/iniciar-sesion/",
}
SIGNED_IN = {
    "mi-cuenta": "/mi-cuenta/",
    "mi-ahorro": "/mi-ahorro/",
    "movimientos": "/mi-ahorro/movimientos/",
    "movimientos-filtro-invalido": "/mi-ahorro/movimientos/?desde=2025-12-31&hasta=2025-01-01",
    "relaciones-laborales": "/mi-ahorro/relaciones-laborales/",
    "mi-perfil": "/mi-perfil/",
    "seguridad": "/mi-perfil/seguridad/",
    "actividad": "/mi-perfil/seguridad/actividad/",
    "sesiones": "/mi-perfil/seguridad/sesiones/",
    "dos-pasos": "/mi-perfil/seguridad/dos-pasos/",
}
WIDTHS = (320, 390, 1280)


def main(base: str, outdir: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from micuenta.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

    outdir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
            page = context.new_page()
            for name, path in PUBLIC.items():
                page.goto(base + path)
                page.screenshot(path=str(outdir / f"{name}-{width}.png"), full_page=True)
            page.goto(base + "/iniciar-sesion/")
            page.get_by_label("Correo electrónico o NSS").fill(DEMO_ACCOUNTS[0].email)
            page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
            page.get_by_role("main").get_by_role("button", name="Iniciar sesión").click()
            page.wait_for_url("**/mi-cuenta/")
            for name, path in SIGNED_IN.items():
                page.goto(base + path)
                page.screenshot(path=str(outdir / f"{name}-{width}.png"), full_page=True)
            context.close()
        browser.close()
    print(f"screenshots in {outdir}")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
