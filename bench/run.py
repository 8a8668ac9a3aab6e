#!/usr/bin/env python
"""The performance benchmark, end to end: data, pages under load, PDF rendering, report.

    .venv/bin/python bench/run.py                 # everything (regenerates the bench DB)
    .venv/bin/python bench/run.py --skip-data     # reuse clinic_bench as it is
    .venv/bin/python bench/run.py --skip-data --duration 3 --pdf-runs 3   # a quick check

What it does (bench/README.md explains the method and the goals):

1. data      drops and recreates the database ``clinic_bench`` (only a name containing
             "bench"), migrates it and runs ``python -m bench.make_data`` (skipped by --skip-data)
2. static    collectstatic into bench/work/var/staticfiles (production storage)
3. pages     gunicorn (2 workers, DJANGO_DEBUG=false, bench.settings) driven by wrk at 1 and 8
             connections, each page next to the floor view (/bench/floor/) and the peer (the
             Django admin's change list of the same patients); SQL queries per page
   conn      the floor and two pages again with DB_CONN_MAX_AGE 0 and 60
4. pdf       plans.pdf.render_pdf vs raw WeasyPrint on identical HTML, 2/8/16 exercises
5. celery    issued → ready latency and plans per minute with 1 and 2 worker processes
6. rules     plan generation with the default rule table (bench/plan_generation.py)
7. report    bench/results/<date>.md (and bench/work/results.json)

Everything it starts (gunicorn, Celery workers, wrk) runs in its own process group and is
stopped at the end, also on failure or Ctrl-C. Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / "work"
VAR = WORK / "var"
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/clinic_bench"
DEFAULT_BROKER = "redis://127.0.0.1:6379/10"
STARTED = time.monotonic()

# The performance goals the benchmark checks: staff and patient pages, PDF, Celery.
GOAL_P95_RATIO = 10.0
GOAL_MAX_QUERIES = 15
GOAL_PDF_RATIO = 1.3
GOAL_PLANS_PER_MINUTE_PER_PROCESS = 300


# ------------------------------------------------------------------------- processes


class Processes:
    """Every process this run starts; each in its own session, stopped by its group id."""

    def __init__(self):
        self.running: list[subprocess.Popen] = []

    def start(self, argv, *, env, log: Path) -> subprocess.Popen:
        handle = log.open("ab")
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen, timeout: float = 15) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        if process in self.running:
            self.running.remove(process)

    def stop_all(self) -> None:
        for process in list(self.running):
            self.stop(process)


PROCESSES = Processes()
atexit.register(PROCESSES.stop_all)


def _on_signal(signum, frame):
    PROCESSES.stop_all()
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:7.1f}s] {message}", flush=True)


def run(argv, *, env, timeout: float, log: Path | None = None) -> str:
    """Run a command to completion (bounded); its output goes to ``log`` or is returned."""
    result = subprocess.run(
        argv,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
    )
    if log is not None:
        with log.open("a") as handle:
            handle.write(result.stdout + result.stderr)
    if result.returncode != 0:
        raise RuntimeError(f"{argv[0]} {argv[1:3]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# ------------------------------------------------------------------- environment, data


def bench_env(args, secret: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="false",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        # The run is longer than a staff session may be idle or live; the fixtures' sessions
        # must not expire halfway through.
        SESSION_IDLE_SECONDS="86400",
        SESSION_COOKIE_AGE="86400",
        DATABASE_URL=args.database_url,
        CELERY_BROKER_URL=args.broker_url,
        CLINIC_VAR_DIR=str(VAR),
        SITE_URL=f"http://127.0.0.1:{args.port}",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def _admin_connection(database_url: str):
    import psycopg2

    parsed = urllib.parse.urlparse(database_url)
    connection = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection, parsed.path.lstrip("/")


def prepare_database(args, env) -> None:
    connection, name = _admin_connection(args.database_url)
    with contextlib.closing(connection), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if args.skip_data:
            if not exists:
                raise SystemExit(f"--skip-data: database {name} does not exist; run without it")
            say(f"data: reusing database {name}")
            run([str(BIN / "python"), "manage.py", "migrate", "--noinput"], env=env, timeout=300)
            return
        if "bench" not in name:
            raise SystemExit(f"Refusing to recreate {name!r}: the name must contain 'bench'.")
        if exists:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    say(f"data: created database {name}; migrating")
    run([str(BIN / "python"), "manage.py", "migrate", "--noinput"], env=env, timeout=300)
    scale = []
    for option in ("patients", "evaluations", "plan_versions", "calls"):
        value = getattr(args, option)
        if value is not None:
            scale += [f"--{option.replace('_', '-')}", str(value)]
    say(f"data: python -m bench.make_data {' '.join(scale)}")
    started = time.monotonic()
    output = run(
        [str(BIN / "python"), "-m", "bench.make_data", *scale],
        env=env,
        timeout=900,
        log=WORK / "bench_data.log",
    )
    print(output, end="")
    RESULTS["data_generation_seconds"] = round(time.monotonic() - started, 1)


def prepare_static(env) -> None:
    """The vendored front-end libraries and collectstatic (production storage).

    The Makefile copies bootstrap.min.css and bootstrap.bundle.min.js into static/vendor/
    without the source maps their last line names, and collectstatic with the production
    storage then fails (MissingFileError). bench/work/vendor-static/ holds the same files
    plus the two maps; bench/settings.py adds it after static/ to STATICFILES_DIRS.
    """
    modules = ROOT / "static" / "node_modules"
    target = WORK / "vendor-static" / "vendor"
    if not (modules / "bootstrap").is_dir():
        raise SystemExit("static/node_modules is missing: run `make setup` first")
    for sub in ("bootstrap", "htmx", "bootstrap-icons"):
        (target / sub).mkdir(parents=True, exist_ok=True)
    dist = modules / "bootstrap" / "dist"
    for name in ("bootstrap.min.css", "bootstrap.min.css.map"):
        shutil.copy2(dist / "css" / name, target / "bootstrap")
    for name in ("bootstrap.bundle.min.js", "bootstrap.bundle.min.js.map"):
        shutil.copy2(dist / "js" / name, target / "bootstrap")
    shutil.copy2(modules / "htmx.org" / "dist" / "htmx.min.js", target / "htmx")
    icons = modules / "bootstrap-icons" / "font"
    shutil.copy2(icons / "bootstrap-icons.min.css", target / "bootstrap-icons")
    shutil.copytree(icons / "fonts", target / "bootstrap-icons" / "fonts", dirs_exist_ok=True)
    run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        timeout=300,
    )


# ----------------------------------------------------------------------------- results

RESULTS: dict = {"pages": [], "floors": [], "queries": {}, "pdf": {}, "celery": {}}


def machine_info() -> dict:
    import django
    import weasyprint
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    import redis as redis_client
    from django.conf import settings

    redis_version = redis_client.Redis.from_url(settings.CELERY_BROKER_URL).info()["redis_version"]
    memory = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "redis": redis_version,
        "weasyprint": weasyprint.__version__,
        "gunicorn": _version("gunicorn"),
        "celery": _version("celery"),
        "wrk": wrk.split(" [")[0].strip() or "unknown",
        "load_at_start": os.getloadavg(),
    }


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def data_sizes() -> dict:
    from clinic.models import AuditEvent, ClinicSession
    from intake.models import (
        Diagnosis,
        DiscoveryCall,
        Evaluation,
        Goal,
        Measurement,
        OutcomeResponse,
        Patient,
        SpecialTest,
        TreatmentNote,
        Visit,
    )
    from plans.models import Plan, PlanItem, PlanVersion, RenderJob

    models = {
        "patients": Patient.objects,
        "evaluations": Evaluation.objects,
        "signed evaluations": Evaluation.objects.filter(signed_at__isnull=False),
        "measurements": Measurement.objects,
        "special tests": SpecialTest.objects,
        "outcome scores": OutcomeResponse.objects,
        "diagnoses": Diagnosis.objects,
        "goals": Goal.objects,
        "plans": Plan.objects,
        "plan items": PlanItem.objects,
        "issued plan versions": PlanVersion.objects,
        "render jobs": RenderJob.objects,
        "discovery calls (all)": DiscoveryCall.objects,
        "past discovery calls": DiscoveryCall.objects.filter(start__lt=_now()),
        "clinicians taking calls": _clinicians(),
        "treatment visits": Visit.objects,
        "signed treatment notes": TreatmentNote.objects.filter(signed_at__isnull=False),
        "audit events": AuditEvent.objects,
        "sessions": ClinicSession.objects,
    }
    return {name: manager.count() for name, manager in models.items()}


def _now():
    from django.utils import timezone

    return timezone.now()


def _clinicians():
    from intake.services.discovery_calls import clinicians_taking_calls

    return clinicians_taking_calls()


# ---------------------------------------------------------------------------- fixtures


def session_cookie(user=None, **data) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    if user is not None:
        # As after a real login with both factors: the OTP middleware loads the device on
        # every request, and the session limits read these stamps.
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from clinic.middleware import AUTH_AT, LAST_SEEN

        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store[AUTH_AT] = store[LAST_SEEN] = int(time.time())
    for key, value in data.items():
        store[key] = value
    store.create()
    return store.session_key


def fixtures() -> dict:
    """Users, cookies and the objects each page shows (typical rows of the bench data)."""
    from django.contrib.auth.models import User
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    from intake.models import Evaluation
    from plans.services.links import plan_link_create

    clinician = User.objects.get(username="bench-clinician-1")
    frontdesk = User.objects.get(username="bench-frontdesk")
    admin = User.objects.get(username="bench-admin")
    draft = (
        Evaluation.objects.filter(
            clinician=clinician, signed_at__isnull=True, patient__plans__versions__isnull=False
        )
        .order_by("pk")
        .first()
    )
    if draft is None:
        raise SystemExit("The bench data has no draft evaluation with an issued plan.")
    patient = draft.patient
    signed = patient.evaluations.filter(signed_at__isnull=False).order_by("-date", "-id").first()
    plan = patient.plans.order_by("-created_at").first()
    version = plan.versions.order_by("-number").first()
    link, token = plan_link_create(plan=plan, by=clinician, purpose="mail")
    note = _draft_note(clinician)
    csrf_secret = _get_new_csrf_string()
    cookies = {
        "clinician": session_cookie(clinician),
        "frontdesk": session_cookie(frontdesk),
        "admin": session_cookie(admin),
        "patient": session_cookie(None, **{f"plan-link-ok-{link.pk}": True}),
    }
    return {
        "users": {"clinician": clinician, "frontdesk": frontdesk, "admin": admin},
        "cookies": cookies,
        "csrf_secret": csrf_secret,
        "csrf_token": _mask_cipher_secret(csrf_secret),
        "patient": patient,
        "draft": draft,
        "signed": signed,
        "plan": plan,
        "version": version,
        "token": token,
        "note": note,
        "visits_of_week": _visits_of_week(),
        "evaluations_of_patient": patient.evaluations.count(),
        "versions_of_plan": plan.versions.count(),
        "items_of_plan": plan.items.count(),
    }


def _draft_note(clinician):
    """The clinician's draft note of today (bench/visit_data.py makes one on weekdays), else
    one opened on their latest attended visit without a note."""
    from clinic.actors import Actor
    from intake.models import TreatmentNote, Visit
    from intake.services.notes import note_open

    note = (
        TreatmentNote.objects.filter(clinician=clinician, signed_at__isnull=True)
        .order_by("-visit__start")
        .first()
    )
    if note is None:
        visit = (
            Visit.objects.filter(clinician=clinician, status="arrived", note__isnull=True)
            .order_by("-start")
            .first()
        )
        if visit is None:
            raise SystemExit("The bench data has no attended visit for the note editor.")
        note = note_open(visit=visit, actor=Actor(user=clinician))
    return note


def _visits_of_week() -> int:
    """Visits on this week's calendar (every clinician), for the report."""
    import datetime

    from django.utils import timezone

    from intake.models import Visit

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return Visit.objects.filter(
        start__date__gte=monday, start__date__lt=monday + datetime.timedelta(days=7)
    ).count()


SEARCH_TERMS = [
    "Smith",
    "Nguyen",
    "maya patel",
    "Garcia",
    "Okafor",
    "leo kim",
    "Rivera",
    "Zhang",
    "Sato",
    "ana lopez",
    "Kowalski",
    "Ellis",
]


def search_bodies(token: str) -> list[str]:
    return [urllib.parse.urlencode({"csrfmiddlewaretoken": token, "q": q}) for q in SEARCH_TERMS]


def booking_bodies(token: str, limit: int) -> list[str]:
    """One form per free slot (distinct slots, so each booking can succeed)."""
    from intake.forms.discovery_calls import slot_key
    from intake.services.discovery_calls import open_slots

    bodies = []
    # Slots from 10 minutes on past the minimum notice, so none expires during the run.
    soon = _now() + datetime.timedelta(minutes=10)
    for number, slot in enumerate(open_slots(soon)[:limit]):
        bodies.append(
            urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "slot": slot_key(slot),
                    "name": f"Bench Prospect {number}",
                    "email": f"prospect{number}@example.com",
                    "phone": "+14155550142",
                    "call_type": "phone",
                    "area": "knee",
                    "how_long": "Three weeks",
                    "goal_race": "",
                    "goal_race_date": "",
                    "story": "Knee pain after long runs.",
                    "heard_from": "web",
                    "consent": "on",
                    "website": "",
                }
            )
        )
    return bodies


def online_bookings() -> int:
    from intake.models import DiscoveryCall

    return DiscoveryCall.objects.filter(source="online").count()


def pages(fx: dict) -> list[dict]:
    """What is measured: name, path, whose cookie, method, POST bodies, expected status."""
    patient, plan, version = fx["patient"], fx["plan"], fx["version"]
    return [
        {"name": "dashboard (clinician)", "path": "/", "who": "clinician", "kind": "staff"},
        {"name": "dashboard (front desk)", "path": "/", "who": "frontdesk", "kind": "staff"},
        {"name": "patient list", "path": "/patients/", "who": "frontdesk", "kind": "staff"},
        {
            "name": "patient search (POST)",
            "path": "/patients/",
            "who": "frontdesk",
            "kind": "staff",
            "method": "POST",
            "bodies": "search",
        },
        {
            "name": "patient chart",
            "path": f"/patients/{patient.pk}/",
            "who": "clinician",
            "kind": "staff",
        },
        {
            "name": "evaluation page",
            "path": f"/evaluations/{fx['signed'].pk}/",
            "who": "clinician",
            "kind": "staff",
        },
        {
            "name": "evaluation editor",
            "path": f"/evaluations/{fx['draft'].pk}/edit/",
            "who": "clinician",
            "kind": "staff",
        },
        {"name": "plan editor", "path": f"/plans/{plan.pk}/", "who": "clinician", "kind": "staff"},
        {
            "name": "plan version page",
            "path": f"/plan-versions/{version.pk}/",
            "who": "clinician",
            "kind": "staff",
        },
        {
            "name": "visit calendar (week, clinic)",
            "path": "/calendar/?view=week&who=all",
            "who": "frontdesk",
            "kind": "staff",
        },
        {
            "name": "visit calendar (week, clinician)",
            "path": "/calendar/?view=week",
            "who": "clinician",
            "kind": "staff",
        },
        {
            "name": "visit calendar (day, clinic)",
            "path": "/calendar/?who=all",
            "who": "frontdesk",
            "kind": "staff",
        },
        {
            "name": "visit page",
            "path": f"/visits/{fx['note'].visit_id}/",
            "who": "clinician",
            "kind": "staff",
        },
        {
            "name": "daily-note editor",
            "path": f"/notes/{fx['note'].pk}/",
            "who": "clinician",
            "kind": "staff",
        },
        {
            "name": "call calendar (week)",
            "path": "/calls/?view=week",
            "who": "frontdesk",
            "kind": "staff",
        },
        {
            "name": "PDF download (staff)",
            "path": f"/plan-versions/{version.pk}/pdf/",
            "who": "clinician",
            "kind": "staff",
        },
        {
            "name": "patient plan page",
            "path": f"/p/{fx['token']}/",
            "who": "patient",
            "kind": "patient",
        },
        {"name": "/book/ slot page", "path": "/book/", "who": None, "kind": "public"},
        {
            "name": "booking POST",
            "path": "/book/",
            "who": None,
            "kind": "public",
            "method": "POST",
            "bodies": "booking",
            "expect": 302,
        },
        {
            "name": "admin change list (peer)",
            "path": "/bench/admin/intake/patient/",
            "who": "admin",
            "kind": "peer",
        },
        {
            "name": "admin search ?q= (peer)",
            "path": "/bench/admin/intake/patient/?q=Smith",
            "who": "admin",
            "kind": "peer",
        },
    ]


# ------------------------------------------------------------------------- web server


def start_gunicorn(args, env) -> subprocess.Popen:
    process = PROCESSES.start(
        [
            str(BIN / "gunicorn"),
            "clinic.wsgi:application",
            "--workers",
            str(args.web_workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        env=env,
        log=WORK / "gunicorn.log",
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {WORK / 'gunicorn.log'}")
        with contextlib.suppress(OSError, urllib.error.URLError):
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/bench/floor/", timeout=2)
            return process
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_page(args, page: dict, headers: dict, body: str | None) -> tuple[int, int]:
    """(status, bytes) of one request, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    data = body.encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{args.port}{page['path']}", data=data, headers=headers
    )
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read() or b"")


def wrk(args, path: str, *, connections: int, duration: float, headers: dict, bodies=None):
    threads = 1 if connections == 1 else min(connections, os.cpu_count() or 2)
    out = WORK / "wrk-out.json"
    out.unlink(missing_ok=True)
    env = dict(os.environ, BENCH_OUT=str(out), BENCH_THREADS=str(threads))
    if bodies is not None:
        body_file = WORK / "wrk-bodies.txt"
        body_file.write_text("\n".join(bodies) + "\n")
        env.update(BENCH_METHOD="POST", BENCH_BODIES=str(body_file))
    argv = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(duration))}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / "wrk.lua"),
    ]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(f"http://127.0.0.1:{args.port}{path}")
    process = PROCESSES.start(argv, env=env, log=WORK / "wrk.log")
    try:
        process.wait(timeout=duration + 60)
    finally:
        PROCESSES.stop(process)
    result = json.loads(out.read_text())
    seconds = result["duration_us"] / 1e6
    result["rps"] = round(result["requests"] / seconds, 1) if seconds else 0.0
    for key in ("p50", "p90", "p95", "p99", "max"):
        result[key] = round(result[key] / 1000, 2)  # milliseconds
    result["mean"] = round(result["mean"] / 1000, 2)
    result["connections"] = connections
    return result


def headers_for(fx: dict, who: str | None, method: str) -> dict:
    cookies = []
    if who:
        cookies.append(f"sessionid={fx['cookies'][who]}")
    if method == "POST":
        cookies.append(f"csrftoken={fx['csrf_secret']}")
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return headers


def measure_floor(args, fx, label: str) -> None:
    for connections in (1, 8):
        result = wrk(
            args,
            "/bench/floor/",
            connections=connections,
            duration=args.duration,
            headers=headers_for(fx, "clinician", "GET"),
        )
        result["when"] = label
        RESULTS["floors"].append(result)
        say(
            f"  floor ({label}) c={connections}: p50 {result['p50']} ms, p95 {result['p95']} ms,"
            f" {result['rps']} req/s"
        )


def measure_pages(args, env, fx) -> None:
    server = start_gunicorn(args, env)
    try:
        anonymous = {}
        for connections in (1, 8):
            anonymous[connections] = wrk(
                args,
                "/bench/floor/",
                connections=connections,
                duration=args.duration,
                headers={},
            )
        RESULTS["floor_anonymous"] = anonymous
        say(f"  floor (anonymous) c=8: p95 {anonymous[8]['p95']} ms, {anonymous[8]['rps']} req/s")
        measure_floor(args, fx, "start")
        page_list = pages(fx)
        middle = len(page_list) // 2
        for number, page in enumerate(page_list):
            if number == middle:
                measure_floor(args, fx, "middle")
            measure_page(args, fx, page)
        measure_floor(args, fx, "end")
    finally:
        PROCESSES.stop(server)


def measure_page(args, fx, page: dict) -> None:
    method = page.get("method", "GET")
    headers = headers_for(fx, page["who"], method)
    record = {**page, "runs": {}}
    expect = page.get("expect", 200)
    bookings_before = online_bookings() if page.get("bodies") == "booking" else 0

    def bodies():
        if page.get("bodies") == "search":
            return search_bodies(fx["csrf_token"])
        if page.get("bodies") == "booking":
            return booking_bodies(fx["csrf_token"], 4000)
        return None

    first = bodies()
    status, size = check_page(args, page, headers, first[0] if first else None)
    record["status"], record["bytes"] = status, size
    if status != expect:
        record["error"] = f"HTTP {status}, expected {expect}"
        say(f"  {page['name']}: HTTP {status} (expected {expect}); skipped")
        RESULTS["pages"].append(record)
        return
    wrk(args, page["path"], connections=2, duration=1, headers=headers, bodies=bodies())  # warm
    for connections in (1, 8):
        result = wrk(
            args,
            page["path"],
            connections=connections,
            duration=args.duration,
            headers=headers,
            bodies=bodies(),
        )
        record["runs"][connections] = result
        say(
            f"  {page['name']} c={connections}: p50 {result['p50']} ms, p95 {result['p95']} ms, "
            f"{result['rps']} req/s, statuses {result['statuses']}"
        )
    if page.get("bodies") == "booking":
        made = online_bookings() - bookings_before
        posts = sum(r["requests"] for r in record["runs"].values())
        record["bookings"] = {"posts_timed": posts, "bookings_made_incl_warmup": made}
    RESULTS["pages"].append(record)


def measure_connection_reuse(args, env, fx) -> None:
    """The floor and two pages at 8 clients with DB_CONN_MAX_AGE 0 (the app's default: a new
    PostgreSQL connection per request) and 60 (persistent connections)."""
    targets = (
        ("floor", "/bench/floor/", "clinician"),
        ("dashboard (clinician)", "/", "clinician"),
        ("patient list", "/patients/", "frontdesk"),
    )
    RESULTS["conn"] = {}
    for age in ("0", "60"):
        server = start_gunicorn(args, dict(env, DB_CONN_MAX_AGE=age))
        try:
            for name, path, who in targets:
                headers = headers_for(fx, who, "GET")
                wrk(args, path, connections=2, duration=1, headers=headers)
                result = wrk(args, path, connections=8, duration=args.duration, headers=headers)
                RESULTS["conn"].setdefault(name, {})[age] = result
                say(
                    f"  DB_CONN_MAX_AGE={age} {name} c=8: p50 {result['p50']} ms, "
                    f"p95 {result['p95']} ms, {result['rps']} req/s"
                )
        finally:
            PROCESSES.stop(server)


# ------------------------------------------------------------------------ query counts


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def count_queries(fx) -> None:
    """SQL statements per page, in-process (Django test client, same settings and data).

    Each page is requested twice and the second request counted (the first fills
    per-process caches such as ContentType, as in a warm gunicorn worker). ``queries``
    excludes transaction control (BEGIN/COMMIT from ATOMIC_REQUESTS); ``statements`` is
    everything CaptureQueriesContext saw.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def measure(client, method, path, data=None):
        for _ in range(2):
            with CaptureQueriesContext(connection) as context:
                response = getattr(client, method)(path, data) if data else client.get(path)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
        sql = [q["sql"] for q in context.captured_queries]
        data_queries = [q for q in sql if not q.upper().startswith(TRANSACTION_CONTROL)]
        return {
            "queries": len(data_queries),
            "statements": len(sql),
            "status": response.status_code,
        }

    for page in pages(fx):
        client = Client(HTTP_HOST="127.0.0.1")
        if page["who"]:
            client.cookies["sessionid"] = fx["cookies"][page["who"]]
        if page.get("bodies") == "search":
            result = measure(client, "post", page["path"], {"q": "Smith"})
        elif page.get("bodies") == "booking":
            result = {}
            for body in booking_bodies("x", 2):  # two free slots: both requests book
                client = Client(HTTP_HOST="127.0.0.1")
                with CaptureQueriesContext(connection) as context:
                    response = client.post(page["path"], dict(urllib.parse.parse_qsl(body)))
                sql = [q["sql"] for q in context.captured_queries]
                result = {
                    "queries": len(
                        [q for q in sql if not q.upper().startswith(TRANSACTION_CONTROL)]
                    ),
                    "statements": len(sql),
                    "status": response.status_code,
                }
        else:
            result = measure(client, "get", page["path"])
        RESULTS["queries"][page["name"]] = result
    floor_client = Client(HTTP_HOST="127.0.0.1")
    floor_client.cookies["sessionid"] = fx["cookies"]["clinician"]
    RESULTS["queries"]["floor"] = measure(floor_client, "get", "/bench/floor/")


# --------------------------------------------------------------------------------- PDF


def pdf_documents(fx) -> dict[int, str]:
    """The printable plan's HTML for 2, 8 and 16 exercises (snapshots built by the app)."""
    from plans import pdf
    from plans.models import Exercise, PlanItem
    from plans.snapshots import plan_snapshot

    plan = fx["plan"]
    exercises = list(Exercise.objects.filter(active=True).order_by("key"))
    documents = {}
    for count in (2, 8, 16):
        items = [
            PlanItem(
                plan=plan, exercise=exercise, order=order, reasons=["Bench."], **exercise.dosage()
            )
            for order, exercise in enumerate(exercises[:count], 1)
        ]
        snapshot = plan_snapshot(plan, items, number=1, issued_by=fx["users"]["clinician"])
        documents[count] = pdf.plan_html(snapshot, online_url="http://127.0.0.1/p/bench-token/")
    return documents


def _inline_css(html: str) -> str:
    """The same document with the stylesheet inlined, for WeasyPrint's default fetcher."""
    from django.contrib.staticfiles import finders

    from plans import pdf

    css = Path(finders.find("css/plan-print.css")).read_text()
    link = f'<link rel="stylesheet" href="{pdf.STATIC_SCHEME}css/plan-print.css">'
    if link not in html:
        raise RuntimeError("the plan template's stylesheet link changed; update bench/run.py")
    return html.replace(link, f"<style>{css}</style>")


def measure_pdf(args, fx) -> None:
    """render_pdf(html) vs weasyprint.HTML(string=html).write_pdf(), alternating, warm."""
    import logging

    import weasyprint

    from plans import pdf

    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)  # the raw run cannot load CSS
    documents = pdf_documents(fx)
    variants = {
        "app": lambda html: pdf.render_pdf(html),
        "raw": lambda html: weasyprint.HTML(string=html).write_pdf(),
    }
    extra = {
        # Same styling as the app (stylesheet inlined): what the raw call skips.
        "raw_css": lambda html: weasyprint.HTML(string=_inline_css(html)).write_pdf(),
        "raw_css_ua": lambda html: weasyprint.HTML(string=_inline_css(html)).write_pdf(
            pdf_variant="pdf/ua-1"
        ),
    }
    for count, html in documents.items():
        timings = {name: [] for name in [*variants, *extra]}
        sizes = {}
        for name, render in {**variants, **extra}.items():
            sizes[name] = len(render(html))  # warm-up
        renders = {**variants, **extra}
        extra_runs = max(3, args.pdf_runs // 4)
        for run_number in range(args.pdf_runs):
            # Every variant of a run back to back, the order reversed every other run, so
            # that the load of the shared machine falls on all of them alike.
            names = [*variants, *(extra if run_number < extra_runs else ())]
            for name in names if run_number % 2 == 0 else reversed(names):
                started = time.perf_counter()
                renders[name](html)
                timings[name].append(time.perf_counter() - started)
        summary = {
            name: {
                "median_ms": round(statistics.median(values) * 1000, 1),
                "p95_ms": round(_percentile(values, 95) * 1000, 1),
                "runs": len(values),
                "pdf_bytes": sizes[name],
            }
            for name, values in timings.items()
        }
        # Ratios of the renders of the same run (paired), then their median: robust to the
        # load changing during the section.
        summary["ratio"] = _paired(timings["app"], timings["raw"])
        summary["ratio_same_css"] = _paired(timings["app"], timings["raw_css"])
        summary["ratio_of_medians"] = round(
            summary["app"]["median_ms"] / summary["raw"]["median_ms"], 2
        )
        summary["html_bytes"] = len(html)
        RESULTS["pdf"][count] = summary
        say(
            f"  PDF {count} exercises: app {summary['app']['median_ms']} ms, raw "
            f"{summary['raw']['median_ms']} ms (×{summary['ratio']}), raw+css "
            f"{summary['raw_css']['median_ms']} ms, raw+css+ua "
            f"{summary['raw_css_ua']['median_ms']} ms"
        )


def _paired(first, second) -> float:
    return round(statistics.median(a / b for a, b in zip(first, second, strict=False)), 2)


def _percentile(values, percent: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = (len(ordered) - 1) * percent / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# ------------------------------------------------------------------------------ Celery


def _issue(plans_to_issue, user):
    from clinic.actors import Actor
    from plans.services import plan_issue

    actor = Actor.of(user)
    return [plan_issue(plan=plan, actor=actor) for plan in plans_to_issue]


def _wait_ready(version_ids, timeout: float) -> list:
    from plans.models import RenderJob

    deadline = time.monotonic() + timeout
    while True:
        jobs = list(RenderJob.objects.filter(version_id__in=version_ids).select_related("version"))
        done = [j for j in jobs if j.status in ("ready", "failed")]
        if len(done) == len(version_ids) or time.monotonic() > deadline:
            return done
        time.sleep(0.05)


def _plans_for_issue(fx, count: int, offset: int):
    """Distinct bench plans of the clinician (signed evaluation, no open hard stop)."""
    from plans.models import Plan

    clinician = fx["users"]["clinician"]
    plans = Plan.objects.filter(created_by=clinician, evaluation__signed_at__isnull=False)
    plans = plans.exclude(patient__red_flag_alerts__hard_stop=True).order_by("pk")
    return list(plans.select_related("patient", "evaluation")[offset : offset + count])


def start_worker(args, env, processes: int) -> subprocess.Popen:
    from clinic.celery import app

    app.control.purge()  # e.g. booking mails queued while the web pages were measured
    return PROCESSES.start(
        [
            str(BIN / "celery"),
            "-A",
            "clinic",
            "worker",
            "--concurrency",
            str(processes),
            "--pool",
            "prefork",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"bench{processes}@127.0.0.1",
        ],
        env=env,
        log=WORK / f"celery-{processes}.log",
    )


def measure_celery(args, env, fx) -> None:
    from django.db import transaction

    user = fx["users"]["clinician"]
    offset = 0
    for processes in (1, 2):
        worker = start_worker(args, env, processes)
        try:
            # Warm-up: the first render in each worker process loads fonts and templates.
            warm = _plans_for_issue(fx, processes * 2, offset)
            offset += len(warm)
            ids = [v.pk for v in _issue(warm, user)]
            if len(_wait_ready(ids, 120)) < len(ids):
                raise RuntimeError(f"the Celery worker rendered nothing; see {worker.args}")
            latencies = []
            if processes == 1:
                for plan in _plans_for_issue(fx, args.latency_samples, offset):
                    offset += 1
                    version = _issue([plan], user)[0]
                    job = _wait_ready([version.pk], 60)
                    if job and job[0].status == "ready":
                        latencies.append((job[0].finished_at - version.issued_at).total_seconds())
                RESULTS["celery"]["latency_idle"] = _latency_summary(latencies)
                say(f"  issued → ready (one at a time): {RESULTS['celery']['latency_idle']}")
            batch = _plans_for_issue(fx, args.burst * processes, offset)
            offset += len(batch)
            with transaction.atomic():  # all enqueued together when this commits
                versions = _issue(batch, user)
            committed = _now()
            jobs = _wait_ready([v.pk for v in versions], min(240, args.burst * processes * 10))
            ready = [j for j in jobs if j.status == "ready"]
            if ready:
                last = max(j.finished_at for j in ready)
                seconds = (last - committed).total_seconds()
                per_minute = len(ready) / seconds * 60
            else:
                seconds, per_minute = 0, 0
            burst_latency = [(j.finished_at - committed).total_seconds() for j in ready]
            render_seconds = [(j.finished_at - j.started_at).total_seconds() for j in ready]
            RESULTS["celery"][processes] = {
                "issued": len(batch),
                "ready": len(ready),
                "failed": len([j for j in jobs if j.status == "failed"]),
                "seconds": round(seconds, 2),
                "plans_per_minute": round(per_minute, 1),
                "plans_per_minute_per_process": round(per_minute / processes, 1),
                "latency_in_burst": _latency_summary(burst_latency),
                "render_in_worker_median_s": round(statistics.median(render_seconds), 3)
                if render_seconds
                else None,
            }
            say(f"  worker processes {processes}: {RESULTS['celery'][processes]}")
        finally:
            PROCESSES.stop(worker)


def _latency_summary(values) -> dict:
    if not values:
        return {"samples": 0}
    return {
        "samples": len(values),
        "p50_s": round(statistics.median(values), 3),
        "p95_s": round(_percentile(values, 95), 3),
        "max_s": round(max(values), 3),
    }


# --------------------------------------------------------------------------- profiling


def profile(fx, names: list[str], out_dir: Path) -> dict:
    """pyinstrument profiles (in-process, 20 requests) of the named pages, if installed."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return {}
    from django.test import Client

    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for page in pages(fx):
        if page["name"] not in names:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        if page["who"]:
            client.cookies["sessionid"] = fx["cookies"][page["who"]]
        data = {"q": "Smith"} if page.get("bodies") == "search" else None
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(20):
                if data:
                    client.post(page["path"], data)
                else:
                    client.get(page["path"])
        path = out_dir / (page["name"].replace(" ", "-").replace("/", "") + ".txt")
        path.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
        written[page["name"]] = str(path.relative_to(ROOT))
    return written


def profile_pdf(out_dir: Path, fx) -> str | None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    from plans import pdf

    html = pdf_documents(fx)[8]
    profiler = Profiler(interval=0.001)
    with profiler:
        for _ in range(3):
            pdf.render_pdf(html)
    path = out_dir / "pdf-render-8-exercises.txt"
    path.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    return str(path.relative_to(ROOT))


# ------------------------------------------------------------------------------ report


def floor_median(connections: int, key: str) -> float:
    values = [f[key] for f in RESULTS["floors"] if f["connections"] == connections]
    return statistics.median(values) if values else 0.0


def verdicts() -> list[tuple[str, bool | None, str]]:
    rows = []
    floor8 = floor_median(8, "p95")
    worst = None
    for page in RESULTS["pages"]:
        if page["kind"] == "peer" or 8 not in page.get("runs", {}):
            continue
        ratio = page["runs"][8]["p95"] / floor8 if floor8 else float("inf")
        if worst is None or ratio > worst[1]:
            worst = (page["name"], ratio)
        queries = RESULTS["queries"].get(page["name"], {}).get("queries")
        rows.append(
            (
                f"{page['name']}: p95 at 8 clients ≤ {GOAL_P95_RATIO:g}× floor",
                ratio <= GOAL_P95_RATIO,
                f"{page['runs'][8]['p95']} ms = {ratio:.1f}× floor ({floor8} ms)",
            )
        )
        rows.append(
            (
                f"{page['name']}: ≤ {GOAL_MAX_QUERIES} queries",
                queries is not None and queries <= GOAL_MAX_QUERIES,
                f"{queries} queries",
            )
        )
    by_name = {p["name"]: p for p in RESULTS["pages"]}
    app, peer = by_name.get("patient list"), by_name.get("admin change list (peer)")
    if app and peer and app.get("runs") and peer.get("runs"):
        for connections in (1, 8):
            a, b = app["runs"][connections], peer["runs"][connections]
            rows.append(
                (
                    f"patient list faster than the admin change list (c={connections})",
                    a["p95"] < b["p95"] and a["rps"] > b["rps"],
                    f"p95 {a['p95']} vs {b['p95']} ms; {a['rps']} vs {b['rps']} req/s",
                )
            )
    for count, summary in sorted(RESULTS["pdf"].items()):
        rows.append(
            (
                f"PDF {count} exercises ≤ {GOAL_PDF_RATIO}× raw WeasyPrint",
                summary["ratio"] <= GOAL_PDF_RATIO,
                f"{summary['app']['median_ms']} vs {summary['raw']['median_ms']} ms = "
                f"×{summary['ratio']} (×{summary['ratio_same_css']} against raw with the same "
                f"CSS inlined)",
            )
        )
    for processes in (1, 2):
        result = RESULTS["celery"].get(processes)
        if result:
            rows.append(
                (
                    f"≥ {GOAL_PLANS_PER_MINUTE_PER_PROCESS} plans/min per worker process "
                    f"({processes} process{'es' if processes > 1 else ''})",
                    result["plans_per_minute_per_process"] >= GOAL_PLANS_PER_MINUTE_PER_PROCESS,
                    f"{result['plans_per_minute_per_process']} plans/min per process "
                    f"({result['plans_per_minute']} total)",
                )
            )
    RESULTS["worst_page"] = worst
    return rows


def connection_lines() -> list[str]:
    conn = RESULTS.get("conn")
    if not conn:
        return []
    lines = [
        "## Connection reuse",
        "",
        "The same server with `DB_CONN_MAX_AGE=0` (the app's default, as above: a new "
        "PostgreSQL connection for every request) and `DB_CONN_MAX_AGE=60`, 8 clients, "
        "measured one after the other.",
        "",
        "| page | age 0: p50 | p95 | req/s | age 60: p50 | p95 | req/s | req/s gain |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in conn.items():
        a, b = runs["0"], runs["60"]
        gain = b["rps"] / a["rps"] if a["rps"] else 0
        lines.append(
            f"| {name} | {a['p50']} | {a['p95']} | {a['rps']} | {b['p50']} | {b['p95']} | "
            f"{b['rps']} | ×{gain:.1f} |"
        )
    return [*lines, ""]


def _latency_text(summary: dict | None) -> str:
    if not summary or not summary.get("samples"):
        return "no samples"
    return (
        f"p50 {summary['p50_s']} s, p95 {summary['p95_s']} s, max {summary['max_s']} s "
        f"({summary['samples']} plans)"
    )


def headline() -> list[str]:
    lines = []
    floor8 = floor_median(8, "p95")
    ratios = sorted(
        (page["runs"][8]["p95"] / floor8, page["name"])
        for page in RESULTS["pages"]
        if page["kind"] != "peer" and 8 in page.get("runs", {}) and floor8
    )
    if ratios:
        lines.append(
            f"- Floor at 8 clients: p95 {floor8} ms, {floor_median(8, 'rps')} req/s (median of "
            f"3). Pages at 8 clients: p95 from {ratios[0][0]:.1f}× ({ratios[0][1]}) to "
            f"{ratios[-1][0]:.1f}× ({ratios[-1][1]}) the floor, median "
            f"{statistics.median(r for r, _ in ratios):.1f}×; "
            f"{sum(r <= GOAL_P95_RATIO for r, _ in ratios)} of {len(ratios)} within "
            f"{GOAL_P95_RATIO:g}×."
        )
    over = [
        name
        for name, counted in RESULTS["queries"].items()
        if name != "floor" and counted["queries"] > GOAL_MAX_QUERIES
    ]
    if RESULTS["queries"]:
        listed = ", ".join(f"{n} {RESULTS['queries'][n]['queries']}" for n in over)
        lines.append(
            f"- Queries: {len(over)} page(s) above {GOAL_MAX_QUERIES}: {listed or 'none'}."
        )
    by_name = {p["name"]: p for p in RESULTS["pages"]}
    app, peer = by_name.get("patient list"), by_name.get("admin change list (peer)")
    if app and peer and app.get("runs") and peer.get("runs"):
        lines.append(
            f"- Patient list vs the admin change list at 8 clients: p95 "
            f"{app['runs'][8]['p95']} vs {peer['runs'][8]['p95']} ms, "
            f"{app['runs'][8]['rps']} vs {peer['runs'][8]['rps']} req/s."
        )
    if 8 in RESULTS["pdf"]:
        summary = RESULTS["pdf"][8]
        lines.append(
            f"- PDF, 8 exercises: render_pdf {summary['app']['median_ms']} ms vs raw WeasyPrint "
            f"{summary['raw']['median_ms']} ms (×{summary['ratio']}; "
            f"×{summary['ratio_same_css']} against raw WeasyPrint with the same stylesheet)."
        )
    for processes in (1, 2):
        c = RESULTS["celery"].get(processes)
        if c:
            lines.append(
                f"- Celery, {processes} worker process(es): {c['plans_per_minute']} plans/min "
                f"({c['plans_per_minute_per_process']} per process)."
            )
    idle = RESULTS["celery"].get("latency_idle", {})
    if idle.get("samples"):
        lines.append(
            f"- Issued → ready, one at a time: p50 {idle['p50_s']} s, p95 {idle['p95_s']} s."
        )
    return lines


def report(args, path: Path) -> None:
    m = RESULTS["machine"]
    lines = [
        f"# Benchmark results {RESULTS['date']}",
        "",
        "Generated by `bench/run.py` "
        f"({' '.join(sys.argv[1:]) or 'no options'}); total run time "
        f"{RESULTS['run_seconds']:.0f} s.",
        "",
        "**The machine was busy**: it is shared, and other engineers ran test suites and a "
        f"browser during this run (load average {m['load_at_start'][0]:.2f} at the start, "
        f"{RESULTS['load_at_end'][0]:.2f} at the end, on {m['cores']} cores). Absolute "
        "figures are noisy; read the ratios, measured side by side in the same run.",
        "",
        "## Headline",
        "",
        *headline(),
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {m['cores']} cores, {m['cpu']} |",
        f"| memory | {m['memory']} |",
        f"| OS | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| Django | {m['django']} |",
        f"| PostgreSQL | {m['postgresql']} |",
        f"| Redis | {m['redis']} |",
        f"| WeasyPrint | {m['weasyprint']} |",
        f"| gunicorn / Celery / wrk | {m['gunicorn']} / {m['celery']} / {m['wrk']} |",
        "",
        "## Data",
        "",
        "| rows at the start of the run | count |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {count:,} |" for name, count in RESULTS["data"].items()]
    fx = RESULTS["fixture"]
    lines += [
        "",
        f"Data generation: {RESULTS.get('data_generation_seconds', 'skipped (--skip-data)')}"
        f"{' s' if 'data_generation_seconds' in RESULTS else ''}. The measured chart belongs to a "
        f"patient with {fx['evaluations']} evaluations; the plan has {fx['items']} exercises "
        f"and {fx['versions']} versions; this week's calendar holds "
        f"{fx.get('week_visits', '?')} visits.",
        "",
        "## Pages under load",
        "",
        f"gunicorn, {args.web_workers} sync workers, `DJANGO_DEBUG=false`, "
        f"`DB_CONN_MAX_AGE` {os.environ.get('DB_CONN_MAX_AGE', '0 (default)')}; wrk "
        f"{args.duration:g} s per figure (1 connection: 1 thread; 8 connections: 2 threads). "
        "Latency in ms. The **floor** is `/bench/floor/` (a view returning 2 bytes behind the "
        "same middleware, with the clinician's session cookie), measured at the start, middle "
        "and end; the ratio uses the median of the three.",
        "",
        "| floor | c | p50 | p95 | req/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for floor in RESULTS["floors"]:
        lines.append(
            f"| {floor['when']} | {floor['connections']} | {floor['p50']} | {floor['p95']} | "
            f"{floor['rps']} |"
        )
    for connections, floor in RESULTS.get("floor_anonymous", {}).items():
        lines.append(
            f"| anonymous (no cookie) | {connections} | {floor['p50']} | {floor['p95']} | "
            f"{floor['rps']} |"
        )
    lines += [
        "",
        "| page | who | KiB | queries (statements) | c=1 p50 | c=1 p95 | c=1 req/s | c=8 p50 | "
        "c=8 p95 | c=8 req/s | p95 ÷ floor (c=8) | req/s ÷ floor (c=8) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in RESULTS["pages"]:
        counted = RESULTS["queries"].get(page["name"], {})
        queries = f"{counted.get('queries', '')} ({counted.get('statements', '')})"
        if not page.get("runs"):
            lines.append(
                f"| {page['name']} | {page['who'] or 'anonymous'} | | {queries} | "
                f"{page.get('error', '')} |||||||"
            )
            continue
        one, eight = page["runs"][1], page["runs"][8]
        p95_ratio = eight["p95"] / floor_median(8, "p95")
        rps_ratio = eight["rps"] / floor_median(8, "rps")
        lines.append(
            f"| {page['name']} | {page['who'] or 'anonymous'} | {page['bytes'] // 1024} | "
            f"{queries} | {one['p50']} | "
            f"{one['p95']} | {one['rps']} | {eight['p50']} | {eight['p95']} | {eight['rps']} | "
            f"{p95_ratio:.1f}× | {rps_ratio:.2f} |"
        )
    lines.append("")
    for page in RESULTS["pages"]:
        non_ok = {
            code: count
            for run_ in page.get("runs", {}).values()
            for code, count in run_["statuses"].items()
            if code not in ("200", "302")
        }
        errors = {
            f"c={c}": {k: v for k, v in r["errors"].items() if v}
            for c, r in page.get("runs", {}).items()
            if any(r["errors"].values())
        }
        if non_ok or errors:
            lines.append(f"- {page['name']}: unexpected statuses {non_ok}, socket errors {errors}")
        if "bookings" in page:
            b = page["bookings"]
            lines.append(
                f"- booking POST: {b['posts_timed']} POSTs timed, {b['bookings_made_incl_warmup']}"
                " bookings made (including the 1-second warm-up); each POST used a distinct "
                "free slot, so every POST booked a call (302 to /book/done/) unless the slots "
                "ran out."
            )
    lines += [
        "",
        "Queries: SQL statements of one warm request, in-process with the same settings and "
        "data; the first figure leaves out transaction control (BEGIN/COMMIT of "
        "ATOMIC_REQUESTS), the one in brackets counts everything. The floor makes "
        f"{RESULTS['queries'].get('floor', {}).get('queries')} "
        f"({RESULTS['queries'].get('floor', {}).get('statements')}): the session and the "
        "user, which every logged-in page pays too; a staff page adds its role and two "
        "permission queries.",
        "",
        *connection_lines(),
        "## PDF rendering (warm process)",
        "",
        f"Median of {args.pdf_runs} runs each after warm-up, alternating. **app** = "
        "`plans.pdf.render_pdf(html)` (ClinicFetcher, PDF/UA-1); **raw** = "
        "`weasyprint.HTML(string=html).write_pdf()` on the identical HTML (the floor; it cannot "
        "load the `clinic-static:` stylesheet, so it lays out an unstyled page); **raw+css** = "
        "raw with the stylesheet inlined (same layout as the app); **raw+css+UA** = raw+css "
        'with `pdf_variant="pdf/ua-1"`.',
        "",
        "Ratios are the median of the per-run ratios (renders of the same run back to back, "
        "the order reversed every other run); raw+css and raw+css+UA ran in the first "
        f"{max(3, args.pdf_runs // 4)} runs.",
        "",
        "| exercises | HTML KiB | app ms | raw ms | app ÷ raw | raw+css ms | app ÷ raw+css | "
        "raw+css+UA ms | app PDF KiB | raw PDF KiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, s in sorted(RESULTS["pdf"].items()):
        lines.append(
            f"| {count} | {s['html_bytes'] // 1024} | {s['app']['median_ms']} | "
            f"{s['raw']['median_ms']} | ×{s['ratio']} | {s['raw_css']['median_ms']} | "
            f"×{s['ratio_same_css']} | {s['raw_css_ua']['median_ms']} | "
            f"{s['app']['pdf_bytes'] // 1024} | {s['raw']['pdf_bytes'] // 1024} |"
        )
    celery = RESULTS["celery"]
    lines += [
        "",
        "## Celery: issued → ready",
        "",
        "`celery -A clinic worker --pool prefork --concurrency N` against Redis DB 10 and the "
        "bench database; plans issued through `plans.services.plan_issue`, the job row polled. "
        "Latency = `RenderJob.finished_at − PlanVersion.issued_at`.",
        "",
        f"- one at a time (1 process, idle queue): {_latency_text(celery.get('latency_idle'))}",
    ]
    for processes in (1, 2):
        if processes in celery:
            c = celery[processes]
            lines.append(
                f"- {processes} worker process{'es' if processes > 1 else ''}, {c['issued']} "
                f"plans issued in one transaction: {c['ready']} ready, {c['failed']} failed in "
                f"{c['seconds']} s → **{c['plans_per_minute']} plans/min** "
                f"({c['plans_per_minute_per_process']} per process); render in worker median "
                f"{c['render_in_worker_median_s']} s; issued → ready in the burst (from the "
                f"commit): {_latency_text(c['latency_in_burst'])}"
            )
    if RESULTS.get("rules"):
        from bench import plan_generation

        lines += ["", "## Plan generation", "", f"{plan_generation.summary(RESULTS['rules'])}."]
    lines += ["", "## Goals", "", "| goal | met | figure |", "|---|---|---|"]
    for goal, met, figure in RESULTS["verdicts"]:
        lines.append(f"| {goal} | {'met' if met else '**missed**'} | {figure} |")
    if RESULTS.get("profiles"):
        lines += ["", "Profiles (pyinstrument, in-process) of the missed goals:", ""]
        lines += [f"- {name}: `{where}`" for name, where in RESULTS["profiles"].items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


# -------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-data", action="store_true", help="reuse the bench database")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--broker-url", default=DEFAULT_BROKER)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk figure")
    parser.add_argument("--pdf-runs", type=int, default=20)
    parser.add_argument("--latency-samples", type=int, default=10)
    parser.add_argument("--burst", type=int, default=16, help="plans per worker process")
    parser.add_argument(
        "--only", default="pages,conn,pdf,celery,rules", help="comma-separated sections"
    )
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--out", type=Path, help="report path (bench/results/<date>.md)")
    for option in ("patients", "evaluations", "plan-versions", "calls"):
        parser.add_argument(f"--{option}", type=int, help="bench data scale (default: full)")
    args = parser.parse_args()
    sections = set(args.only.split(","))
    if "pages" in sections and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (make bench does this)")
    WORK.mkdir(parents=True, exist_ok=True)
    VAR.mkdir(parents=True, exist_ok=True)
    for log in WORK.glob("*.log"):
        log.unlink()
    secret = secrets.token_urlsafe(50)
    env = bench_env(args, secret)
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "CLINIC_VAR_DIR",
        "SITE_URL",
        "LOG_LEVEL",
    ):
        os.environ[name] = env[name]
    sys.path.insert(0, str(ROOT))

    say("data")
    prepare_database(args, env)
    say("static files")
    prepare_static(env)

    import django

    django.setup()
    RESULTS["date"] = datetime.date.today().isoformat()
    RESULTS["machine"] = machine_info()
    RESULTS["data"] = data_sizes()
    fx = fixtures()
    RESULTS["fixture"] = {
        "evaluations": fx["evaluations_of_patient"],
        "items": fx["items_of_plan"],
        "versions": fx["versions_of_plan"],
        "week_visits": fx["visits_of_week"],
    }
    from django.db import connection

    say("query counts")
    count_queries(fx)
    connection.close()
    if "pages" in sections:
        say("pages under load")
        measure_pages(args, env, fx)
    if "conn" in sections:
        say("connection reuse")
        measure_connection_reuse(args, env, fx)
    if "pdf" in sections:
        say("PDF rendering")
        measure_pdf(args, fx)
    if "celery" in sections:
        say("Celery")
        measure_celery(args, env, fx)
    if "rules" in sections:
        from bench import plan_generation

        say("plan generation")
        RESULTS["rules"] = plan_generation.measure()
        say(f"  {plan_generation.summary(RESULTS['rules'])}")
    RESULTS["verdicts"] = verdicts()
    if not args.no_profile:
        missed = {
            goal.split(":")[0]
            for goal, met, _ in RESULTS["verdicts"]
            if met is False and ":" in goal
        }
        profiles = profile(fx, sorted(missed), WORK / "profiles")
        if any(not met for goal, met, _ in RESULTS["verdicts"] if goal.startswith("PDF")):
            pdf_profile = profile_pdf(WORK / "profiles", fx)
            if pdf_profile:
                profiles["PDF render (8 exercises)"] = pdf_profile
        RESULTS["profiles"] = profiles
    RESULTS["load_at_end"] = os.getloadavg()
    RESULTS["run_seconds"] = time.monotonic() - STARTED
    out = args.out or BENCH / "results" / f"{RESULTS['date']}.md"
    report(args, out)
    (WORK / "results.json").write_text(json.dumps(RESULTS, indent=1, default=str))
    say(f"report: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    try:
        main()
    finally:
        PROCESSES.stop_all()
