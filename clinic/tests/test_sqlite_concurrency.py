"""`make run`'s embedded SQLite holds a busy moment: twenty prospects booking the same time at
once while staff log in and read pages get one booking, nineteen clear refusals and no 500.

The app runs as `make run` runs it, in subprocesses: the Procfile's web server, Celery worker
and beat on one SQLite file and the filesystem broker in a temporary var/ folder (no
DATABASE_URL, no CELERY_BROKER_URL), after `migrate` and `seed_demo`.
"""

import http.client
import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from intake.slots import REASON_TAKEN

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "concurrency-demo-password"
PROSPECTS = 20
# What the suite's own environment sets for PostgreSQL, Redis and the rest: make run has none.
NOT_IN_MAKE_RUN = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "DJANGO_DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "DB_CONN_MAX_AGE",
    "RATELIMIT_CACHE",
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Reply:
    method: str
    path: str
    status: int  # 0: no HTTP answer at all (connection refused or reset)
    location: str
    text: str
    seconds: float


class Browser:
    """One person's browser: its own cookies, its own address (as the proxy reports it)."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, {}

    def connect(self) -> http.client.HTTPConnection:
        """A connection opened now, to send a request on later: the requests of a burst then
        reach the server together, not held up by runserver's listen queue (10 at a time)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.connect()
        return connection

    def get(self, path: str, connection=None) -> Reply:
        return self._request("GET", path, connection=connection)

    def post(self, path: str, form: dict, connection=None) -> Reply:
        return self._request("POST", path, urlencode(form), connection=connection)

    def csrf_token(self, reply: Reply) -> str:
        match = CSRF.search(reply.text)
        assert match, f"no CSRF token on {reply.path} ({reply.status})"
        return match.group(1)

    def _request(self, method: str, path: str, body=None, connection=None) -> Reply:
        headers = {"X-Forwarded-For": self.address}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.monotonic()
        connection = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        except OSError as error:
            return Reply(method, path, 0, "", repr(error), time.monotonic() - started)
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        location = response.getheader("Location", "")
        return Reply(method, path, response.status, location, text, time.monotonic() - started)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _procfile(port: int) -> dict[str, list[str]]:
    """make run's processes, the web server on our own port (no reloader: nothing changes)."""
    commands = {}
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if command.strip():
            argv = shlex.split(command.replace("127.0.0.1:8000", f"127.0.0.1:{port}"))
            commands[name.strip()] = argv + (["--noreload"] if "runserver" in argv else [])
    assert {"web", "worker", "beat"} <= commands.keys(), commands
    return commands


def _make_run_environment(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_MAKE_RUN}
    env.update(
        CLINIC_VAR_DIR=str(var_dir),
        DEMO_PASSWORD=PASSWORD,
        # One proxy in front: each prospect comes from their own address, as on the internet,
        # so the per-address booking limit stays as it is and lets the twenty through.
        TRUSTED_PROXY_HOPS="1",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class EmbeddedClinic:
    port: int
    var_dir: Path
    logs: dict[str, Path]

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")

    def query(self, sql: str, params=()) -> list[tuple]:
        with sqlite3.connect(f"file:{self.var_dir / 'clinic.sqlite3'}?mode=ro", uri=True) as db:
            return db.execute(sql, params).fetchall()


def _wait_until_serving(clinic: EmbeddedClinic, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the web server exited:\n{clinic.log('web')[-3000:]}")
        if Browser(clinic.port, "127.0.0.1").get("/accounts/login/").status == 200:
            return
        time.sleep(0.2)
    pytest.fail(f"the web server did not answer within 30 s:\n{clinic.log('web')[-3000:]}")


def _manage(env: dict, *command: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def embedded_clinic(tmp_path_factory):
    """make run: migrate, then the Procfile's processes, which start while seed_demo runs."""
    var_dir = tmp_path_factory.mktemp("make-run-var")
    env = _make_run_environment(var_dir)
    _manage(env, "migrate", "--noinput")
    clinic = EmbeddedClinic(_free_port(), var_dir, {})
    processes = []
    try:
        for name, argv in _procfile(clinic.port).items():
            clinic.logs[name] = var_dir / f"{name}.log"
            with clinic.logs[name].open("w") as log:
                processes.append(
                    subprocess.Popen(
                        argv,
                        cwd=BASE_DIR,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # its own process group, ended below
                    )
                )
        _manage(env, "seed_demo")
        _wait_until_serving(clinic, processes[0])
        yield clinic
    finally:
        for process in processes:  # at once: nothing in the temporary folder is kept
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def _free_times(browser: Browser) -> list[str]:
    page = browser.get("/book/")
    assert page.status == 200, page.status
    keys = re.findall(r'href="\?slot=(\d+)"', page.text)
    assert len(keys) >= 2, "the demo clinician has no free call times"
    return keys


def _booking(slot: str, number: int, token: str, who: str = "burst") -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "slot": slot,
        "name": f"Prospect {number}",
        "email": f"{who}-{number}@example.com",
        "phone": f"+1415555{number:04d}",
        "call_type": "phone",
        "consent": "on",
        "website": "",
    }


def _staff_pages(clinic: EmbeddedClinic, call_id: int) -> dict[str, list[str]]:
    """What each demo role opens in a morning: dashboard, calendar, a call, a chart, a PDF."""
    ((patient_id, evaluation_id, version_id),) = clinic.query(
        "SELECT e.patient_id, e.id, v.id FROM intake_evaluation e "
        "JOIN plans_plan p ON p.evaluation_id = e.id JOIN plans_planversion v ON v.plan_id = p.id"
    )
    return {
        "clinician": [
            "/",
            f"/patients/{patient_id}/",
            f"/evaluations/{evaluation_id}/",
            f"/plan-versions/{version_id}/",
            f"/plan-versions/{version_id}/pdf/",
            "/calls/",
            f"/calls/{call_id}/",
        ],
        "frontdesk": ["/", "/calls/", f"/calls/{call_id}/", "/patients/", "/calls/?view=week"],
        "admin": ["/", "/admin/", "/admin/auth/user/"],
    }


def _logged_in(clinic: EmbeddedClinic, role: str, number: int) -> Browser:
    browser = Browser(clinic.port, f"192.0.2.{number}")
    form = {"username": role, "password": PASSWORD}
    form["csrfmiddlewaretoken"] = browser.csrf_token(browser.get("/accounts/login/"))
    reply = browser.post("/accounts/login/", form)
    assert reply.status == 302 and "/two-factor/" not in reply.location, clinic.log("web")[-3000:]
    return browser


def _summary(**groups: list[Reply]) -> str:
    """Per kind of request: how many, their statuses, the slowest (for the failure message)."""
    return "; ".join(
        f"{what}: {len(replies)} requests, statuses "
        f"{dict(sorted(Counter(r.status for r in replies).items()))}, "
        f"slowest {max(r.seconds for r in replies):.2f} s"
        for what, replies in groups.items()
        if replies
    )


def _burst(jobs: list) -> None:
    """Run every job in its own thread, all released at the same moment."""
    start = threading.Barrier(len(jobs))

    def run(job):
        start.wait(timeout=30)
        job()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"


def test_twenty_prospects_booking_one_time_get_one_booking_and_clear_refusals(embedded_clinic):
    clinic = embedded_clinic
    # The furthest times ahead: still bookable however long the test takes (the nearest
    # could pass the booking lead time between the page and the submit).
    *_, early_key, key = _free_times(Browser(clinic.port, "198.51.100.1"))
    # One call booked beforehand, so that the front desk has a call page to open meanwhile.
    early = Browser(clinic.port, "198.51.100.2")
    form = early.get(f"/book/?slot={early_key}")
    booked = early.post("/book/", _booking(early_key, 1, early.csrf_token(form), who="early"))
    assert booked.status == 302, clinic.log("web")[-3000:]
    ((call_id,),) = clinic.query("SELECT id FROM intake_discoverycall")
    pages = _staff_pages(clinic, call_id)

    # Each prospect has the booking form open; staff are logged in, and three more are on the
    # login page. Then everyone submits at once while the staff open their pages.
    prospects = [Browser(clinic.port, f"203.0.113.{n + 1}") for n in range(PROSPECTS)]
    forms = [
        _booking(key, n, p.csrf_token(p.get(f"/book/?slot={key}"))) for n, p in enumerate(prospects)
    ]
    staff = {role: _logged_in(clinic, role, n + 1) for n, role in enumerate(pages)}
    late = {role: Browser(clinic.port, f"192.0.2.{n + 11}") for n, role in enumerate(pages)}
    login_forms = {
        role: {
            "username": role,
            "password": PASSWORD,
            "csrfmiddlewaretoken": b.csrf_token(b.get("/accounts/login/")),
        }
        for role, b in late.items()
    }
    bookings: dict[int, Reply] = {}
    logins: list[Reply] = []
    reads: list[Reply] = []

    def book(number: int, connection):
        return lambda: bookings.update(
            {number: prospects[number].post("/book/", forms[number], connection)}
        )

    def log_in(role: str, connection):
        return lambda: logins.append(
            late[role].post("/accounts/login/", login_forms[role], connection)
        )

    def read(role: str, connection):
        def pages_twice():
            first, *rest = pages[role] * 2
            reads.append(staff[role].get(first, connection))
            reads.extend(staff[role].get(path) for path in rest)

        return pages_twice

    _burst(
        [book(n, prospect.connect()) for n, prospect in enumerate(prospects)]
        + [log_in(role, browser.connect()) for role, browser in late.items()]
        + [read(role, browser.connect()) for role, browser in staff.items()]
    )

    summary = _summary(bookings=list(bookings.values()), logins=logins, staff_pages=reads)
    print(summary)  # shown with -s: the numbers behind clinic/settings.py's choice
    replies = [*bookings.values(), *logins, *reads]
    failed = [f"{r.status} {r.method} {r.path}" for r in replies if r.status >= 500 or not r.status]
    assert not failed, f"{summary}\n" + "\n".join(failed) + "\n" + clinic.log("web")[-3000:]
    assert len(bookings) == PROSPECTS and all(r.status != 429 for r in replies), summary

    won = [n for n, r in bookings.items() if r.status == 302]
    assert len(won) == 1, summary
    assert bookings[won[0]].location.endswith("/book/done/")
    refused = [r for n, r in bookings.items() if n != won[0]]
    assert all(r.status == 200 and REASON_TAKEN in r.text for r in refused), summary
    rows = clinic.query("SELECT email FROM intake_discoverycall WHERE email LIKE 'burst-%'")
    assert rows == [(f"burst-{won[0]}@example.com",)]

    assert [r.status for r in logins] == [302] * len(pages), summary
    assert len(reads) == 2 * sum(len(paths) for paths in pages.values()), summary
    for reply in reads:
        if reply.path.endswith("/pdf/"):  # the worker may not have rendered it yet
            assert reply.status in (200, 302), (reply.path, reply.status)
        else:
            assert reply.status == 200, (reply.path, reply.status)
    # The worker wrote meanwhile too: the winner's confirmation (its manage link) and the
    # demo plan's PDF.
    mailed = re.compile(r"discovery_call_mail_task\[[^]]+\] succeeded")
    deadline = time.monotonic() + 30
    while len(mailed.findall(clinic.log("worker"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(mailed.findall(clinic.log("worker"))) == 2, clinic.log("worker")[-3000:]
    assert clinic.query("PRAGMA journal_mode") == [("wal",)]
    for name in ("web", "worker", "beat"):
        assert "database is locked" not in clinic.log(name), f"{name}: {clinic.log(name)[-3000:]}"
