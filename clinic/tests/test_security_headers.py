"""Headers, cookies, error pages and log lines."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import path, reverse

from clinic.access import staff
from clinic.logging import RedactingFormatter, redact
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PatientFactory
from conftest import phi_in_logs

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
# The manifest of collected static files does not exist in a test checkout.
plain_static = "django.contrib.staticfiles.storage.StaticFilesStorage"
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": plain_static}}
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
plain = client.get("/accounts/login/", HTTP_HOST="clinic.example")
page = client.get("/accounts/login/", HTTP_HOST="clinic.example", secure=True)
cookies = {
    name: {key: morsel[key] for key in ("secure", "httponly", "samesite")}
    for name, morsel in page.cookies.items()
}
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "headers": dict(page.headers),
    "cookies": cookies,
}))
"""


@pytest.fixture(scope="module")
def production():
    """The login page as production serves it: its own process, DJANGO_DEBUG=false."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "SECRET_KEY": "p" * 60,
        "ALLOWED_HOSTS": "clinic.example,testserver",
        # The login page reads no table: any reachable database will do.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_to_https_and_sends_hsts(production):
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://")
    hsts = production["headers"]["Strict-Transport-Security"]
    assert "includeSubDomains" in hsts
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 365 * 24 * 3600


def test_production_cookies_are_secure_httponly_and_samesite(production):
    cookies = production["cookies"]
    assert "csrftoken" in cookies
    for name, flags in cookies.items():
        assert flags["secure"], name
        assert flags["httponly"], name
        assert flags["samesite"] in ("Lax", "Strict"), name


def test_production_headers(production):
    headers = production["headers"]
    csp = headers["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_with_patient_data_are_never_stored(client, clinician):
    patient = PatientFactory(primary_clinician=clinician)
    client.force_login(clinician)
    chart = client.get(reverse("intake:patient_detail", args=[patient.pk]))
    assert "no-store" in chart["Cache-Control"]
    assert "Content-Security-Policy" in chart


@pytest.mark.django_db
def test_every_page_template_loads_scripts_only_from_files():
    """No inline script or event handler anywhere: the CSP would block it."""
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for bad in ("<script>", "onclick=", "onload=", "onchange=", "onsubmit=", "javascript:"):
            if bad in text:
                offenders.append(f"{template.relative_to(ROOT)}: {bad}")
    assert not offenders


# --- A forced error with patient data in the request --------------------------------------


@staff()
def _explode(request):
    raise ValueError(f"cannot save {request.POST.get('name')} born {request.POST.get('born')}")


urlpatterns = [path("explode/", _explode)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_an_error_shows_a_generic_page_and_logs_no_patient_data(clinician, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(clinician)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post("/explode/", {"name": "Priya Natarajan", "born": "1985-09-03"})
    assert response.status_code == 500
    page = response.content.decode()
    assert "Natarajan" not in page and "1985" not in page and "Traceback" not in page
    formatter = RedactingFormatter("%(levelname)s %(name)s %(message)s")
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert "ValueError (message withheld)" in logged
    assert "Natarajan" not in logged and "1985-09-03" not in logged
    assert phi_in_logs(logged.splitlines()) == []


def test_link_tokens_are_cut_from_log_lines():
    token = "q3bM9w2kz0n1lL8f0aX7P3u6VdR2yTq9cBmE1sH4jKo:Yx2-T0kLm9AqPzW7rV6uNbC5dE3fG1hI8jJ0kK_lMn"
    line = f'"GET /q/{token}/profile/ HTTP/1.1" 200'
    assert token not in redact(line) and "/q/…/profile/" in redact(line)
    assert redact("GET /patients/12/ 200") == "GET /patients/12/ 200"


def test_data_urls_are_cut_from_log_lines():
    """WeasyPrint quotes an image's URL when it fails to load; a chart's SVG names scores."""
    import base64

    svg = base64.b64encode(b"<svg><title>LEFS of Priya Natarajan: 41</title></svg>").decode()
    line = f"ERROR weasyprint Failed to load image at 'data:image/svg+xml;base64,{svg}' (x)"
    assert redact(line) == "ERROR weasyprint Failed to load image at 'data:…' (x)"
    assert redact("see data:text/plain,hello%20there done") == "see data:… done"


def test_the_log_search_finds_a_demo_patient():
    assert phi_in_logs(["INFO x saved Priya Natarajan", "INFO y all fine"]) == [
        "INFO x saved Priya Natarajan"
    ]
    assert phi_in_logs(["born 1985-09-03"]) and phi_in_logs(["mail priya.n@example.com"])


@pytest.mark.django_db
def test_a_refused_object_request_is_audited(client, clinician):
    client.force_login(clinician)
    response = client.get(reverse("intake:patient_detail", args=[987654]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.DENIED, actor=clinician)
    assert "intake:patient_detail" in event.detail and "987654" in event.detail


def test_uploads_live_outside_the_web_root_and_no_route_serves_them(settings):
    from django.urls import get_resolver

    import clinic.settings as configured  # MEDIA_ROOT as configured, before a test moved it

    # The storage keeps files in MEDIA_ROOT (no folder of its own) …
    assert "location" not in settings.STORAGES["default"].get("OPTIONS", {})
    assert default_storage.location == str(Path(settings.MEDIA_ROOT).resolve())
    media = Path(configured.MEDIA_ROOT).resolve()  # … and that is outside every web root
    dirs = [Path(d[1] if isinstance(d, tuple) else d) for d in settings.STATICFILES_DIRS]
    for web_root in (Path(settings.STATIC_ROOT), *dirs):
        assert not media.is_relative_to(web_root.resolve())
    assert not getattr(settings, "MEDIA_URL", "").strip("/")

    def patterns(resolver):
        for p in resolver.url_patterns:
            yield from patterns(p) if hasattr(p, "url_patterns") else [p]

    served = [p for p in patterns(get_resolver()) if "serve" in getattr(p.callback, "__name__", "")]
    assert served == []
