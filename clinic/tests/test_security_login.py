"""Staff login hardening: second factor, lockout, session limits, passwords."""

from __future__ import annotations

import datetime
import re
import time
from urllib.parse import unquote

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit import client_ip
from clinic.models import AuditAction, AuditEvent, ClinicSession
from clinic.tests.factories import TEST_PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def _login(client, username, password=TEST_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def enrolled(clinician):
    device = TOTPDevice.objects.create(user=clinician, name="Authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=clinician, name="Recovery codes")
    recovery.token_set.create(token="abcde12345")
    return device


# --- Second factor --------------------------------------------------------------------------


def test_enrolment_by_qr_code_then_recovery_codes(
    client, clinician, required, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the right code right after a typo
    response = _login(client, "t-clinician")
    assert response.url.startswith(reverse("two_factor_setup"))
    # Nothing with patient data, and no admin page, before the second factor.
    patient = PatientFactory(primary_clinician=clinician)
    for url in (
        reverse("clinic:dashboard"),
        reverse("intake:patient_detail", args=[patient.pk]),
        reverse("intake:patient_list"),
        reverse("admin:index"),
    ):
        blocked = client.get(url)
        assert blocked.status_code == 302 and blocked.url == reverse("two_factor_setup"), url
    page = client.get(reverse("two_factor_setup"))
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and "QR code" in html
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=clinician, confirmed=True).exists()
    key_before = client.session.session_key
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("two_factor_setup"), {"code": _code(device)})
    shown = done.content.decode()
    codes = re.findall(r'<span class="user-select-all">([0-9a-f]{10})</span>', shown)
    assert len(codes) == 10
    assert client.session.session_key != key_before  # a new session key after the 2nd factor
    assert client.get(reverse("intake:patient_detail", args=[patient.pk])).status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR, actor=clinician, detail="authenticator app enrolled"
    ).exists()
    # Anyone with the password could enrol first: the owner hears of it by mail.
    (mail,) = mailoutbox
    assert mail.to == [clinician.email] and "An authenticator app was set up" in mail.body
    assert clinician.username not in mail.subject + mail.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("two_factor_recovery_codes"))
    assert len(mailoutbox) == 2 and "New recovery codes were set up" in mailoutbox[1].body


def test_login_asks_for_the_code_and_a_code_cannot_be_replayed(client, clinician, enrolled):
    # Enrolled users always give the code, whether or not the clinic requires it.
    response = _login(client, "t-clinician")
    assert response.url.startswith(reverse("two_factor_verify"))
    assert client.get(reverse("clinic:dashboard")).url == reverse("two_factor_verify")
    code = _code(enrolled)
    ok = client.post(reverse("two_factor_verify"), {"code": code})
    assert ok.status_code == 302 and client.get(reverse("clinic:dashboard")).status_code == 200
    # The same code in another browser within its 30 seconds: refused.
    other = Client()
    _login(other, "t-clinician")
    replay = other.post(reverse("two_factor_verify"), {"code": code})
    assert replay.status_code == 200 and "not right" in replay.content.decode()
    assert other.get(reverse("clinic:dashboard")).status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, actor_label="t-clinician"
    ).exists()


def test_a_recovery_code_works_once(client, clinician, enrolled):
    _login(client, "t-clinician")
    ok = client.post(reverse("two_factor_verify"), {"code": "ABCDE 12345"}, follow=True)
    assert "recovery code" in ok.content.decode() and ok.status_code == 200
    assert client.get(reverse("clinic:dashboard")).status_code == 200
    again = Client()
    _login(again, "t-clinician")
    refused = again.post(reverse("two_factor_verify"), {"code": "abcde12345"})
    assert "not right" in refused.content.decode()


def test_wrong_codes_are_throttled(client, clinician, enrolled):
    _login(client, "t-clinician")
    client.post(reverse("two_factor_verify"), {"code": "111111"})
    # The next try, even with the right code, must wait (django-otp's throttle).
    response = client.post(reverse("two_factor_verify"), {"code": _code(enrolled)})
    assert "Wait" in response.content.decode()
    assert client.get(reverse("clinic:dashboard")).status_code == 302


def test_wrong_codes_lock_the_account_at_that_address_like_wrong_passwords(
    client, clinician, enrolled, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.AXES_FAILURE_LIMIT = 3
    _login(client, "t-clinician")
    for _ in range(3):
        client.post(reverse("two_factor_verify"), {"code": "111111"})
    locked = client.post(reverse("two_factor_verify"), {"code": _code(enrolled)})
    assert locked.status_code == 429
    assert not client.session.get("_auth_user_id")  # logged out


def test_front_desk_is_not_forced_but_may_enrol(client, frontdesk, required):
    response = _login(client, "t-frontdesk")
    assert response.url == reverse("clinic:dashboard")
    page = client.get(reverse("two_factor_security")).content.decode()
    assert "Set up two-step login" in page


def test_second_factor_changes_by_an_admin_are_audited(clinician, enrolled):
    enrolled.delete()
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR, actor_label="t-clinician", detail__contains="removed"
    ).exists()


# --- Lockout ---------------------------------------------------------------------------------


def test_a_rotating_forwarded_for_does_not_reset_the_count(client, frontdesk, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(
            client,
            "t-frontdesk",
            "wrong-password",
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9",
        )
    response = _login(
        client,
        "t-frontdesk",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.9",
    )
    assert response.status_code == 429
    assert "Too many login attempts" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()
    # The same user from the clinic's own address still gets in: no clinic-wide lockout.
    ok = _login(
        Client(), "t-frontdesk", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.200"
    )
    assert ok.status_code == 302


def test_an_admin_unlocks_and_the_unlock_is_audited(client, frontdesk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "t-frontdesk", "wrong-password")
    assert _login(client, "t-frontdesk").status_code == 429
    AccessAttempt.objects.filter(username="t-frontdesk").delete()  # the admin's delete action
    assert AuditEvent.objects.filter(action=AuditAction.UNLOCKED, actor_label="t-frontdesk")
    assert _login(client, "t-frontdesk").status_code == 302


def test_the_clinic_admin_can_reach_lockouts_and_devices_in_the_admin(client, clinic_admin):
    client.force_login(clinic_admin)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200


# --- Sessions --------------------------------------------------------------------------------


def test_idle_sessions_end_after_15_minutes(client, frontdesk):
    with time_machine.travel("2026-11-27 09:00 +0000", tick=False) as clock:
        _login(client, "t-frontdesk")
        assert client.get(reverse("clinic:dashboard")).status_code == 200
        clock.shift(14 * 60)
        assert client.get(reverse("clinic:dashboard")).status_code == 200
        clock.shift(14 * 60)  # active 14 minutes ago: still in
        assert client.get(reverse("clinic:dashboard")).status_code == 200
        clock.shift(16 * 60)
        response = client.get(reverse("clinic:dashboard"), follow=True)
        assert "without activity" in response.content.decode()
        assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_background_polling_does_not_keep_a_session_alive(client, frontdesk):
    with time_machine.travel("2026-11-27 09:00 +0000", tick=False) as clock:
        _login(client, "t-frontdesk")
        for _ in range(4):
            clock.shift(5 * 60)
            status = client.get(reverse("session_status"), HTTP_X_CLINIC_BACKGROUND="1")
        assert status.status_code == 302  # after 20 minutes of polling only: logged out


def test_the_idle_warning_can_keep_the_session(client, frontdesk):
    with time_machine.travel("2026-11-27 09:00 +0000", tick=False) as clock:
        _login(client, "t-frontdesk")
        page = client.get(reverse("clinic:dashboard")).content.decode()
        assert 'data-idle-seconds="900"' in page and "idle-warning" in page
        clock.shift(13 * 60)
        left = client.get(reverse("session_status"), HTTP_X_CLINIC_BACKGROUND="1").json()
        assert left["idle_seconds_left"] == 120
        assert client.post(reverse("session_status")).json()["idle_seconds_left"] == 900


def test_a_session_ends_after_its_absolute_lifetime_however_active(client, frontdesk, settings):
    with time_machine.travel("2026-11-27 08:00 +0000", tick=False) as clock:
        _login(client, "t-frontdesk")
        for _ in range(8 * 6 + 1):
            clock.shift(10 * 60)
            last = client.get(reverse("clinic:dashboard"))
        assert last.status_code == 302 and last.url.startswith(reverse("login"))


def test_login_gives_a_new_session_key(client, frontdesk):
    client.get(reverse("login"))
    session = client.session
    session["before"] = 1
    session.save()
    before = session.session_key
    _login(client, "t-frontdesk")
    assert client.session.session_key != before


def _sessions_of(user) -> int:
    """Counted by decoding every session, not by the user_id column end_sessions relies on."""
    return sum(
        1
        for s in ClinicSession.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    )


def test_logout_ends_the_users_other_sessions(frontdesk):
    laptop, phone = Client(), Client()
    _login(laptop, "t-frontdesk")
    _login(phone, "t-frontdesk")
    assert _sessions_of(frontdesk) == 2
    laptop.post(reverse("logout"))
    assert _sessions_of(frontdesk) == 0
    assert phone.get(reverse("clinic:dashboard")).status_code == 302


def test_sessions_carry_their_users_id_and_are_ended_by_it(
    frontdesk, clinician, django_assert_num_queries
):
    from clinic.sessions import end_sessions

    laptop, phone, desk = Client(), Client(), Client()
    _login(laptop, "t-frontdesk")
    _login(phone, "t-frontdesk")
    desk.force_login(clinician)
    patient = Client()
    store = patient.session
    store["plan-link-ok-1"] = True
    store.save()
    assert ClinicSession.objects.filter(user_id=frontdesk.pk).count() == 2
    assert ClinicSession.objects.get(session_key=store.session_key).user_id is None
    with django_assert_num_queries(1):  # one DELETE by the indexed column, no scan
        assert end_sessions(frontdesk) == 2
    assert ClinicSession.objects.filter(user_id=clinician.pk).count() == 1
    assert ClinicSession.objects.filter(session_key=store.session_key).exists()


def test_expired_sessions_are_cleared_by_the_hourly_task(frontdesk, settings):
    from clinic.tasks import sessions_clear_task

    assert settings.CELERY_BEAT_SCHEDULE["sessions-clear"]["task"] == sessions_clear_task.name
    old, live = Client(), Client()
    _login(old, "t-frontdesk")
    _login(live, "t-frontdesk")
    ClinicSession.objects.filter(session_key=old.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    sessions_clear_task()
    assert list(ClinicSession.objects.values_list("session_key", flat=True)) == [
        live.session.session_key
    ]


def test_a_password_change_ends_the_other_sessions_but_not_this_one(frontdesk):
    laptop, phone = Client(), Client()
    _login(laptop, "t-frontdesk")
    _login(phone, "t-frontdesk")
    new = "a completely new and long passphrase for the clinic"
    response = laptop.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert laptop.get(reverse("clinic:dashboard")).status_code == 200
    assert phone.get(reverse("clinic:dashboard")).status_code == 302
    assert _sessions_of(frontdesk) == 1


def test_deactivation_ends_the_users_sessions(frontdesk):
    browser = Client()
    _login(browser, "t-frontdesk")
    frontdesk.is_active = False
    frontdesk.save()
    assert _sessions_of(frontdesk) == 0
    assert browser.get(reverse("clinic:dashboard")).status_code == 302


def test_passwords_are_long_uncommon_and_kept_whole(frontdesk, settings):
    del settings.PASSWORD_HASHERS  # the production hasher (PBKDF2), not the suite's quick one
    for weak in ("short-pw", "password12345", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak, frontdesk)
    passphrase = "correct horse battery staple " * 5  # 145 characters, every one counts
    validate_password(passphrase, frontdesk)
    frontdesk.set_password(passphrase)
    frontdesk.save()
    assert frontdesk.check_password(passphrase)
    assert not frontdesk.check_password(passphrase[:-1])
    assert not frontdesk.check_password(passphrase[:72])


def test_login_next_survives_the_second_factor(client, clinician, enrolled):
    target = reverse("intake:patient_list")
    response = client.post(
        reverse("login") + f"?next={target}",
        {"username": "t-clinician", "password": TEST_PASSWORD, "next": target},
    )
    assert "next=" in response.url and target in unquote(response.url)
    done = client.post(response.url, {"code": _code(enrolled), "next": target})
    assert done.url == target
    evil = client.post(reverse("two_factor_verify"), {"next": "https://evil.example/"})
    assert "evil" not in evil.get("Location", "")


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
