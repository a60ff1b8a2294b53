"""Helpers shared by the browser tests (Playwright on Debian's chromium)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

WIDTHS = (1280, 375)
PASSWORD = "contrasena-segura-123"  # every persona's (organization.tests.factories)


def log_in(page: Page, base_url: str, email: str, *, landing: str = "/") -> None:
    """Log in through the login page as a persona and wait for the page it lands on."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{base_url}{landing}")


def watch_console(page: Page) -> list[str]:
    """The console errors the page logs from now on (a CSP violation is one)."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{page.url} {msg.location} {msg.text}") if msg.type == "error" else None
        ),
    )
    return errors


def screenshots(page: Page, name: str, folder: Path) -> None:
    """A full-page screenshot at each width into `folder`, checking that the page's content
    never scrolls sideways (the shared navbar is measured by its own tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll_width = page.evaluate("() => document.querySelector('main').scrollWidth")
        assert scroll_width <= width, f"{page.url} is {scroll_width} px wide at {width} px"
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    assert original is not None
    page.set_viewport_size(original)
