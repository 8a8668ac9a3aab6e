"""Suite-wide setup: fail within seconds, naming the service, when PostgreSQL or Redis is down;
fail the run when any log line of the whole suite carries patient data, and when the browser
tests it collected did not run. The one real Celery worker of the suite (``celery_worker``)."""

import contextlib
import logging
import os
import socket
from urllib.parse import urlparse

import pytest

HOW_TO_START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
    "--appendonly no",
}


def _unreachable(name: str, url: str, default_port: int) -> str | None:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return None
    except OSError as exc:
        return (
            f"{name} is not reachable at {host}:{port} ({exc.strerror or exc}).\n"
            f"  Start it with: {HOW_TO_START[name]}"
        )


def pytest_sessionstart(session):
    problems = []
    db_url = os.environ.get("DATABASE_URL", "")
    if db_url.startswith("postgres"):
        problems.append(_unreachable("PostgreSQL", db_url, 5432))
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker.startswith("redis"):
        problems.append(_unreachable("Redis", broker, 6379))
    problems = [p for p in problems if p]
    if problems:
        pytest.exit("\n".join(problems), returncode=3)
    _keep_logs()


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Staff users are made in most tests: hash their passwords cheaply (Django's advice for
    test suites). The one test about passwords themselves puts PBKDF2 back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads and rendered PDFs of a test never land in var/media, the folder `make run`
    uses: the default storage follows MEDIA_ROOT (clinic/settings.py)."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


# --- No patient data in the logs: every record the whole suite logs is kept and searched ---
class _LogKeeper(logging.Handler):
    """Formats each record as production would (clinic.logging) and keeps the text."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        from clinic.logging import RedactingFormatter

        self.setFormatter(RedactingFormatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record):
        try:
            self.lines.append(self.format(record))
        except Exception as exc:  # a broken log call is a finding too
            self.lines.append(f"unformattable record from {record.name}: {exc!r}")


_log_keeper: _LogKeeper | None = None


def _keep_logs():
    global _log_keeper
    _log_keeper = _LogKeeper()
    logging.getLogger().addHandler(_log_keeper)


def phi_in_logs(lines: list[str]) -> list[str]:
    """Log lines that name a demo patient, their date of birth or e-mail address."""
    from clinic.management.commands.seed_demo import DEMO_PATIENTS

    needles = set()
    for first, last, born, _sex, _status, email, _phone in DEMO_PATIENTS:
        needles |= {f"{first} {last}", last, born.isoformat(), born.strftime("%m/%d/%Y"), email}
    needles.add("Testperson")  # the factories' patients
    needles.discard("")
    return [line for line in lines if any(n in line for n in needles)]


# --- The browser suite really ran: a skipped browser test is a test that did not run ---
_browser_tests = {"collected": 0, "ran": 0, "skipped": []}


def _is_browser_test(nodeid: str) -> bool:
    return nodeid.startswith("e2e/")


def pytest_collection_finish(session):
    _browser_tests["collected"] = sum(_is_browser_test(item.nodeid) for item in session.items)
    unserialized = [item.nodeid for item in session.items if flushes_content_types(item)]
    if unserialized:
        raise pytest.UsageError(
            "Transactional tests must also set serialized_rollback=True: the flush after them "
            "recreates the content types, and the next serialized_rollback test then fails "
            "to load its own. Fix: " + ", ".join(unserialized[:5])
        )


def flushes_content_types(item) -> bool:
    """A django_db(transaction=True) test without serialized_rollback=True."""
    marker = item.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return False
    return not marker.kwargs.get("serialized_rollback")


def pytest_runtest_logreport(report):
    if not _is_browser_test(report.nodeid):
        return
    if report.skipped:
        _browser_tests["skipped"].append(report.nodeid)
    elif report.when == "call":
        _browser_tests["ran"] += 1


def browser_suite_problems(collected: int, ran: int, skipped: list[str]) -> list[str]:
    """Why this run's browser tests do not count: none of the collected ones ran, or some
    skipped."""
    problems = []
    if collected and not ran:
        problems.append(f"{collected} browser tests (e2e/) were collected and none ran.")
    if skipped:
        problems.append(f"{len(skipped)} browser tests skipped: {', '.join(skipped[:5])}")
    return problems


def _fail_session(session, title: str, lines: list[str]) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(title, red=True)
        for line in lines[:20]:
            reporter.write_line(f"  {line[:300]}")
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_sessionfinish(session, exitstatus):
    problems = browser_suite_problems(**_browser_tests)
    if problems and exitstatus != pytest.ExitCode.INTERRUPTED:
        _fail_session(session, "The browser suite did not run:", problems)
    if _log_keeper is None:
        return
    found = phi_in_logs(_log_keeper.lines)
    if found:
        _fail_session(session, "Patient data found in the logs of this run:", found)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached roles and permissions, rate limits and
    slot lists of one test's users must not leak into the next (ids can be reused)."""
    from django.core.cache import cache

    cache.clear()


# --- The real Celery worker: one fixture for every test that needs a worker ---
class Worker:
    """A real Celery worker (solo pool, a thread of this process) on the configured broker.

    ``start()`` and ``stop()``, or ``with worker.running():``, let a test hold work back:
    messages queued meanwhile wait in the broker until the worker starts.
    """

    def __init__(self, app):
        self.app = app
        self._running = None

    def start(self) -> None:
        from celery.contrib.testing.worker import start_worker

        if self._running is None:
            running = start_worker(
                self.app, pool="solo", perform_ping_check=False, shutdown_timeout=10
            )
            running.__enter__()
            self._running = running

    def stop(self) -> None:
        if self._running is not None:
            running, self._running = self._running, None
            running.__exit__(None, None, None)

    @contextlib.contextmanager
    def running(self):
        self.start()
        try:
            yield self
        finally:
            self.stop()


@pytest.fixture
def celery_worker(transactional_db):
    """A :class:`Worker`, not started: the test starts it where the work should begin. The
    queue is purged first, so no message of an earlier test is delivered to it; the worker
    is stopped at the end, also when the test fails. It reads committed rows only, on its own
    connection: tests that use it mark ``django_db(transaction=True, ...)``."""
    from celery.signals import task_postrun
    from django.db import connections

    from clinic.celery import app

    def close_connections(**_kwargs):
        connections.close_all()  # runs in the worker thread: no session outlives the test

    app.control.purge()
    task_postrun.connect(close_connections, weak=False)
    worker = Worker(app)
    try:
        yield worker
    finally:
        worker.stop()
        task_postrun.disconnect(close_connections)


@pytest.fixture
def link_mails_sent(monkeypatch, django_capture_on_commit_callbacks):
    """``with link_mails_sent(): client.post(...)``: the link mails that the request queued
    are sent when it commits, by the real task run in this thread (Celery's eager mode), so a
    test in a rolled-back transaction can read them in mail.outbox. The broker and worker
    path itself is tested with ``celery_worker`` (clinic/tests/test_link_mail.py)."""
    from clinic.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    return lambda: django_capture_on_commit_callbacks(execute=True)
