"""Two-factor login for staff with django-otp: an authenticator app (TOTP) and recovery codes.

After the password, SecondFactorMiddleware lets through only the pages here (and public
ones) until the user gives a code. Enrolment shows a QR code and asks for a first code
before the device counts; then ten single-use recovery codes are shown once. The pages are in
clinic/views/two_factor.py; the rules and the writes are here. A TOTP code
cannot be used twice (django-otp keeps the last time step), wrong codes slow down
(django-otp's throttling) and count towards the same lockout as wrong passwords
(django-axes, by username and address).
"""

from __future__ import annotations

import secrets
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import user_roles
from .actors import Actor
from .audit import audit
from .models import AuditAction

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


HAS_DEVICE = "clinic:has_device"


def has_device(user, session=None) -> bool:
    """Whether the user has enrolled a second factor (remembered in the session)."""
    if session is not None and HAS_DEVICE in session:
        return session[HAS_DEVICE]
    answer = user_has_device(user)
    if session is not None:
        session[HAS_DEVICE] = answer
    return answer


def needs_second_factor(user, session=None) -> bool:
    """Enrolled users always; clinicians and clinic admins when the clinic requires it."""
    if not user.is_authenticated:
        return False
    if has_device(user, session):
        return True
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    required = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    return bool(user_roles(user) & required) or user.is_superuser or user.is_staff


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def locked_out(request: HttpRequest) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": request.user.get_username()})


def verified(request: HttpRequest, device) -> None:
    """Both factors are given: the session says so, under a new key."""
    otp_login(request, device)
    request.session[HAS_DEVICE] = True
    request.session.cycle_key()


def match_code(user, code: str):
    """(device, seconds to wait): the device the code belongs to, or None."""
    waiting = 0
    # Six digits are an app code, anything else a recovery code: a mistyped recovery code
    # must not slow down the app's codes, nor the other way round.
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if not isinstance(device, kind):
            continue
        allowed, data = device.verify_is_allowed()
        if not allowed:
            locked_until = (data or {}).get("locked_until")
            if locked_until is not None:
                waiting = max(waiting, int((locked_until - timezone.now()).total_seconds()) + 1)
            continue
        if device.verify_token(code):
            return device, 0
    return None, waiting


def has_confirmed_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return recovery.token_set.count() if recovery else 0


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def spaced_secret(device: TOTPDevice) -> str:
    """The key in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# ----------------------------------------------------------------------- writes


def totp_device_start(*, user) -> TOTPDevice:
    """The authenticator being enrolled: made unconfirmed on the first visit, kept until the
    first right code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, actor: Actor) -> list[str]:
    """The first right code was typed: the app counts from now on, with new recovery codes
    (returned, to be shown once); the owner is told by mail."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(device.user)
    audit(actor, AuditAction.SECOND_FACTOR, detail="authenticator app enrolled")
    _tell_the_owner_on_commit(device.user, actor, "An authenticator app was")
    return codes


@transaction.atomic
def recovery_codes_replace(*, actor: Actor) -> list[str]:
    """New recovery codes for the actor's account (returned, to be shown once); the old ones
    stop working and the owner is told by mail."""
    codes = _new_recovery_codes(actor.user)
    audit(actor, AuditAction.SECOND_FACTOR, detail="recovery codes replaced")
    _tell_the_owner_on_commit(actor.user, actor, "New recovery codes were")
    return codes


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _tell_the_owner_on_commit(user, actor: Actor, what: str) -> None:
    """Mail the account's owner about a change to their second factor, once it is stored.

    Whoever holds a password can enrol the first authenticator of an account that has none;
    this mail is how the real owner learns of it. It names no patient and no username.
    """
    if not user.email:
        return
    when = timezone.localtime().strftime("%b %-d at %H:%M")
    message = (
        f"{what} set up for your {settings.CLINIC_NAME} staff account on {when} "
        f"from the address {actor.ip_address or 'unknown'}.\n\n"
        "If this was you, there is nothing to do. If it was not, tell your clinic admin now: "
        "they can remove the authenticator and lock the account.\n"
    )
    subject = f"{settings.CLINIC_NAME}: your two-step login was changed"
    transaction.on_commit(
        lambda: send_mail(subject, message, None, [user.email], fail_silently=True)
    )
