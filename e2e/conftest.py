"""Browser end-to-end tests: Debian's Chromium driven by Playwright (sync API) against
pytest-django's live server on PostgreSQL, with a real in-process Celery worker on Redis.

Chromium comes from the system (``/usr/bin/chromium``, or ``E2E_CHROMIUM``), installed by
``make system``; Playwright never downloads a browser. Without it every browser test fails,
on every machine, with the command that installs it.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from pathlib import Path

import pytest

from .helpers import DESKTOP, PHONE, TIMEOUT_MS

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The live server listens on IPv4; "localhost" would make Chromium try ::1 first.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture(scope="session", autouse=True)
def chromium_path() -> str:
    """The system Chromium; without it every browser test fails with the install command (a
    browser test that skips did not run)."""
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    pytest.fail(
        f"Chromium was not found at {CHROMIUM}: run `make system` "
        "(or `sudo apt-get install -y chromium`)",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def browser(chromium_path, django_db_setup):
    """Headless Chromium for one test module (started after the test database exists).

    Module scope, not session: pytest-django runs the tests without a database last, and
    they must not inherit DJANGO_ALLOW_ASYNC_UNSAFE (manage.py check --deploy refuses it).

    Playwright's sync API keeps an asyncio loop running in this thread. Two consequences:
    - Django refuses ORM calls from test code ("SynchronousOnlyOperation") unless told it is
      safe. It is here (the loop only drives the browser), so DJANGO_ALLOW_ASYNC_UNSAFE is set
      for the browser's lifetime only.
    - Django's connections are then looked up in a context-local store instead of the plain
      thread-local one, i.e. they are new connection objects. The snapshot that
      ``serialized_rollback`` restores after each flush (role groups, exercise library, plan
      rules from data migrations) is carried over to them, or it would be silently skipped.
    """
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        for alias, contents in snapshots.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True, timeout=30_000
        )
        yield chromium
        chromium.close()
    finally:
        connections.close_all()  # the context-local ones, before the loop goes away
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser):
    """Make browser contexts (``"desktop"`` 1280×900 or ``"phone"`` 390×844); all closed after.

    A context is one browser profile: closing it and opening a new one is a person coming
    back later with only their link.
    """
    contexts = []

    def make(kind: str = "desktop", **options):
        phone = kind == "phone"
        context = browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=1,
            locale="en-US",
            timezone_id="America/Los_Angeles",
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        with contextlib.suppress(Exception):  # already closed by the test
            context.close()


@pytest.fixture(autouse=True)
def _server_quiet_before_flush(request):
    """After a test, wait (at most 10 s) until no request of the closed browser is still
    being handled: the live server's request threads must be done with the database before
    pytest-django flushes it, or TRUNCATE and a late request can deadlock."""
    yield
    if request.node.get_closest_marker("django_db") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded files and rendered PDFs go to a temporary folder, not var/media.

    settings.STORAGES pins the folder, so MEDIA_ROOT alone would not move them.
    """
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
    }
    return media


@pytest.fixture
def celery_worker(celery_worker, private_media):
    """The suite's real worker (conftest.py at the top), started: a journey's work runs as it
    goes. ``stop()`` and ``start()`` let a test hold work back."""
    celery_worker.start()
    return celery_worker


@pytest.fixture
def demo(transactional_db):
    """The demo data of ``make run`` (manage.py seed_demo): staff, patients, call hours,
    a questionnaire awaiting review and a signed evaluation with an issued plan."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from clinic.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD

    call_command("seed_demo", stdout=io.StringIO())
    password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    return {
        "password": password,
        "clinician": User.objects.get(username="clinician"),
        "frontdesk": User.objects.get(username="frontdesk"),
    }
