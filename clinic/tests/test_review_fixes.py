"""Regression tests for defects found in review: each would fail without its fix."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from clinic.audit import client_ip
from clinic.tests.factories import TEST_PASSWORD


@pytest.mark.django_db
def test_a_clinic_admin_cannot_change_a_superuser_or_their_password(client, clinic_admin):
    root = User.objects.create_superuser("root", "root@example.com", "a-long-root-password")
    client.force_login(clinic_admin)
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code in (302, 403)
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    client.post(url, {"password1": "takeover-passphrase-1", "password2": "takeover-passphrase-1"})
    root.refresh_from_db()
    assert root.check_password("a-long-root-password")


@pytest.mark.django_db
def test_the_audit_filter_shrugs_off_odd_patient_ids(client, clinic_admin):
    client.force_login(clinic_admin)
    url = reverse("admin:clinic_auditevent_changelist")
    assert client.get(url, {"patient": "²"}).status_code == 200
    assert client.get(url, {"patient": "12x"}).status_code == 200


@pytest.mark.django_db
def test_the_call_calendar_shrugs_off_far_off_dates(client, frontdesk):
    client.force_login(frontdesk)
    for day in ("0001-01-01", "9999-12-31"):
        assert (
            client.get(reverse("intake:call_calendar"), {"day": day, "view": "week"}).status_code
            == 200
        )


@pytest.mark.django_db
def test_repeated_wrong_passwords_are_throttled_per_address_and_username(client, frontdesk):
    for _ in range(10):
        client.post(reverse("login"), {"username": "t-frontdesk", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "t-frontdesk", "password": TEST_PASSWORD})
    assert response.status_code == 429 and "Too many login attempts" in response.content.decode()
    # Another address is not locked out by this one.
    other = client.post(
        reverse("login"),
        {"username": "t-frontdesk", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 302


def test_client_ip_trusts_only_the_configured_proxy_hops(settings, rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_ip(request) == "203.0.113.7"  # the spoofable 6.6.6.6 is ignored
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(request) == "127.0.0.1"


@pytest.mark.django_db
def test_patient_search_queries_do_not_grow_with_the_results(client, clinician):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clinic.tests.factories import PatientFactory

    client.force_login(clinician)
    client.get(reverse("clinic:dashboard"))  # the session's first request stamps its start

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.post(reverse("intake:patient_list"), {"q": "Testperson"})
        return len(ctx.captured_queries)

    PatientFactory(primary_clinician=clinician)
    few = count()
    for _ in range(15):
        PatientFactory(primary_clinician=clinician)
    assert count() == few
