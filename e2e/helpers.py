"""What the browser tests share: viewports, screenshots, axe-core, labels, bounded waits."""

from __future__ import annotations

import re
import time
from pathlib import Path

from django.core import mail
from playwright.sync_api import expect

from clinic.tests import tools

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Every Playwright wait is bounded by this (ms); only the PDF render may take longer.
TIMEOUT_MS = 15_000
PDF_TIMEOUT_MS = 60_000

# axe-core impacts that fail a page.
BLOCKING_IMPACTS = ("serious", "critical")


def L(text: str) -> re.Pattern:  # noqa: N802 (reads like a label in the steps)
    """A field's label exactly, with or without the required-field asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def wait_for(predicate, *, timeout: float = TIMEOUT_MS / 1000, what: str = "condition"):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def mail_to(address: str, subject_part: str, *, timeout: float = TIMEOUT_MS / 1000):
    """The newest mail to ``address`` whose subject contains ``subject_part``.

    Mail goes to Django's locmem outbox, shared with the in-process Celery worker thread.
    """

    def find():
        for message in reversed(mail.outbox):
            if address in message.to and subject_part in message.subject:
                return message
        return None

    return wait_for(find, timeout=timeout, what=f"a mail to {address} about {subject_part!r}")


def first_url(text: str, path_part: str) -> str:
    match = re.search(rf"https?://\S*{re.escape(path_part)}\S*", text)
    assert match, f"no link containing {path_part!r} in:\n{text}"
    return match.group(0)


def screenshot(page, name: str) -> None:
    """Full-page screenshots of the current page at desktop and phone size.

    The page keeps its own viewport afterwards; nothing is reloaded.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    original = page.viewport_size
    try:
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    finally:
        if original:
            page.set_viewport_size(original)


def axe_problems(page) -> list[dict]:
    """Serious and critical axe-core violations on the page (axe-playwright-python, offline)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


# Form controls without an accessible label: <label for>, a wrapping <label>, aria-label or
# aria-labelledby. Hidden inputs and buttons are not fields.
UNLABELLED_JS = """
() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => !(el.labels && el.labels.length)
             && !(el.getAttribute('aria-label') || '').trim()
             && !(el.getAttribute('aria-labelledby') || '').trim())
  .map(el => el.outerHTML.slice(0, 160))
"""


def unlabelled_fields(page) -> list[str]:
    return page.evaluate(UNLABELLED_JS)


# What has keyboard focus, described for assertions.
FOCUSED_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', id: el.id || '',
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    visible: r.width > 2 && r.height > 2 && r.right > 0 && r.bottom > 0
             && r.left < window.innerWidth && style.visibility !== 'hidden',
    ariaHidden: !!el.closest('[aria-hidden="true"]'),
  };
}
"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED_JS)


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed."""
    return tools.pdf_text(path.read_bytes())


def _totp_now(key_base32: str) -> str:
    import base64

    from django_otp.oath import TOTP

    key = key_base32.replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"


def login_with_second_factor(page, base_url: str, username: str, password: str) -> None:
    """Password, then the first-time enrolment: scan (read the typed key), first code,
    recovery codes; as a clinician does on the first login when the clinic requires it."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/accounts/two-factor/setup/**")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    screenshot(page, "17-two-factor-setup")
    page.get_by_text("Can't scan? Type this key instead").click()
    key = page.locator("details code").inner_text()
    page.get_by_label("Code").fill(_totp_now(key))
    page.get_by_role("button", name="Turn on two-step login").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them").click()
    page.wait_for_url(f"{base_url}/")


def login(page, base_url: str, username: str, password: str) -> None:
    """Staff login through the real form at /accounts/login/."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
