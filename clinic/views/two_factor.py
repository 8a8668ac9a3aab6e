"""The second step of the staff login, enrolment of an authenticator app, recovery codes.

The rules and the writes are in clinic/two_factor.py; these pages bind the code form, call
it, and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from clinic import two_factor
from clinic.access import second_factor, staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from clinic.two_factor import CodeForm, next_url


@second_factor
def verify(request: HttpRequest):
    """The second step of the login."""
    if request.user.is_verified():
        return redirect(next_url(request))
    if not user_has_device(request.user):
        request.session[two_factor.HAS_DEVICE] = False  # removed by an admin meanwhile
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.locked_out(request):
            username = request.user.get_username()
            logout(request)
            audit(
                request,
                AuditAction.LOGIN_FAILED,
                actor_label=username,
                detail="second factor, locked",
            )
            return render(request, "registration/locked_out.html", status=429)
        device, waiting = two_factor.match_code(request.user, form.cleaned_data["code"])
        if device is not None:
            two_factor.verified(request, device)
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
            return redirect(next_url(request))
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
        request, "registration/two_factor_verify.html", {"form": form, "next": next_url(request)}
    )


@second_factor
def setup(request: HttpRequest):
    """Enrol an authenticator app: scan, type the first code, keep the recovery codes."""
    if two_factor.has_confirmed_app(request.user):
        if not request.user.is_verified():
            return redirect("two_factor_verify")
        return redirect("two_factor_security")
    device = two_factor.totp_device_start(user=request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your authenticator app shows now."
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = two_factor.totp_device_confirm(device=device, actor=Actor.from_request(request))
            two_factor.verified(request, device)
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": next_url(request)},
            )
        form.add_error(
            "code", "That code is not right. Check the time on your phone and try again."
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.qr_data_uri(device),
            "secret": two_factor.spaced_secret(device),
            "next": next_url(request),
        },
    )


@staff()
def security(request: HttpRequest):
    """The user's own security page: second factor status and recovery codes."""
    return render(
        request,
        "registration/two_factor_security.html",
        {
            "enrolled": two_factor.has_confirmed_app(request.user),
            "codes_left": two_factor.recovery_codes_left(request.user),
            "required": two_factor.needs_second_factor(request.user, request.session),
        },
    )


@staff()
@require_POST
def recovery_codes(request: HttpRequest):
    """New recovery codes; the old ones stop working."""
    if not request.user.is_verified():
        messages.error(request, "Log in with your second factor first.")
        return redirect("two_factor_security")
    codes = two_factor.recovery_codes_replace(actor=Actor.from_request(request))
    return render(
        request,
        "registration/two_factor_codes.html",
        {"codes": codes, "next": reverse("two_factor_security")},
    )
