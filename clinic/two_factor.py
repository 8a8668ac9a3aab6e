"""Two-factor login for staff with django-otp: an authenticator app (TOTP) and recovery codes.

After the password, SecondFactorMiddleware lets through only the pages here (and public
ones) until the user gives a code. Enrolment shows a QR code and asks for a first code
before the device counts; then ten single-use recovery codes are shown once. A TOTP code
cannot be used twice (django-otp keeps the last time step), wrong codes slow down
(django-otp's throttling) and count towards the same lockout as wrong passwords
(django-axes, by username and address).
"""

from __future__ import annotations

import secrets

import segno
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import second_factor, staff, user_roles
from .audit import audit, client_ip
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


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _locked_out(request: HttpRequest) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": request.user.get_username()})


def _verified(request: HttpRequest, device) -> None:
    otp_login(request, device)
    request.session[HAS_DEVICE] = True
    request.session.cycle_key()  # a new session key once both factors are given


@second_factor
def verify(request: HttpRequest):
    """The second step of the login."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        request.session[HAS_DEVICE] = False  # removed by an admin since the password step
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _locked_out(request):
            username = request.user.get_username()
            logout(request)
            audit(
                request,
                AuditAction.LOGIN_FAILED,
                actor_label=username,
                detail="second factor, locked",
            )
            return render(request, "registration/locked_out.html", status=429)
        device, waiting = _match(request.user, form.cleaned_data["code"])
        if device is not None:
            _verified(request, device)
            detail = "second factor"
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                detail = "second factor, recovery code"
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. Make new ones on your security page "
                    f"if you are running low.",
                )
            audit(request, AuditAction.LOGIN, detail=detail)
            return redirect(_next_url(request))
        user_login_failed.send(
            sender=__name__,
            credentials={"username": request.user.get_username()},
            request=request,
        )
        if waiting:
            form.add_error("code", f"Too many wrong codes. Wait {waiting} seconds and try again.")
        else:
            form.add_error("code", "That code is not right. Codes change every 30 seconds.")
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


def _match(user, code: str):
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
                from django.utils import timezone

                waiting = max(waiting, int((locked_until - timezone.now()).total_seconds()) + 1)
            continue
        if device.verify_token(code):
            return device, 0
    return None, waiting


def _qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@second_factor
def setup(request: HttpRequest):
    """Enrol an authenticator app: scan, type the first code, keep the recovery codes."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if not request.user.is_verified():
            return redirect("two_factor_verify")
        return redirect("two_factor_security")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your authenticator app shows now."
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
                _verified(request, device)
                audit(request, AuditAction.SECOND_FACTOR, detail="authenticator app enrolled")
                transaction.on_commit(lambda: _tell_the_owner(request, "An authenticator app was"))
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "code", "That code is not right. Check the time on your phone and try again."
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device),
            "secret": _spaced(device),
            "next": _next_url(request),
        },
    )


def _tell_the_owner(request: HttpRequest, what: str) -> None:
    """Mail the account's owner about a change to their second factor.

    Whoever holds a password can enrol the first authenticator of an account that has none;
    this mail is how the real owner learns of it. It names no patient and no username.
    """
    if not request.user.email:
        return
    when = timezone.localtime().strftime("%b %-d at %H:%M")
    send_mail(
        f"{settings.CLINIC_NAME}: your two-step login was changed",
        f"{what} set up for your {settings.CLINIC_NAME} staff account on {when} "
        f"from the address {client_ip(request) or 'unknown'}.\n\n"
        "If this was you, there is nothing to do. If it was not, tell your clinic admin now: "
        "they can remove the authenticator and lock the account.\n",
        None,
        [request.user.email],
        fail_silently=True,
    )


def _spaced(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@staff()
def security(request: HttpRequest):
    """The user's own security page: second factor status and recovery codes."""
    recovery = StaticDevice.objects.filter(user=request.user, confirmed=True).first()
    return render(
        request,
        "registration/two_factor_security.html",
        {
            "enrolled": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "codes_left": recovery.token_set.count() if recovery else 0,
            "required": needs_second_factor(request.user, request.session),
        },
    )


@staff()
@require_POST
def recovery_codes(request: HttpRequest):
    """New recovery codes; the old ones stop working."""
    if not request.user.is_verified():
        messages.error(request, "Log in with your second factor first.")
        return redirect("two_factor_security")
    codes = _new_recovery_codes(request.user)
    audit(request, AuditAction.SECOND_FACTOR, detail="recovery codes replaced")
    transaction.on_commit(lambda: _tell_the_owner(request, "New recovery codes were"))
    return render(
        request,
        "registration/two_factor_codes.html",
        {"codes": codes, "next": reverse("two_factor_security")},
    )
