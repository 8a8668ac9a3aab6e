"""Who does something, for services and the audit trail: a user or a label, from where.

Services take an ``Actor`` rather than the request: the request is the web's business, and a
service is also called by a Celery task, ``seed_demo`` or a test, none of which has one. A
view builds the actor once with ``Actor.from_request(request)``; a task uses
``Actor.system("...")``; a patient's private link is ``Actor.from_request(request,
label="patient (plan link)")``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(text: str) -> str:
    """Without control characters: a NUL from a crafted URL or header would make PostgreSQL
    refuse the row (and the request fail), and none belongs in an audit line."""
    return _CONTROL.sub("\ufffd", text)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_HOPS proxies, the entry that the nearest
    trusted proxy appended to X-Forwarded-For (entries further left are client-supplied)."""
    if request is None:
        return None
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    if hops and len(forwarded) >= hops:
        candidate = forwarded[-hops]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True, kw_only=True)
class Actor:
    """A signed-in user, or a label ("patient (plan link)", "system") when there is none."""

    user: object | None = None  # settings.AUTH_USER_MODEL, or None
    label: str = ""
    ip_address: str | None = None
    user_agent: str = ""

    def __post_init__(self) -> None:
        if self.user is None and not self.label:
            raise ValueError("An actor is a user or has a label saying who acted.")
        object.__setattr__(self, "label", printable(self.label)[:150])
        object.__setattr__(self, "user_agent", printable(self.user_agent)[:255])

    @classmethod
    def from_request(cls, request: HttpRequest, *, label: str = "", user=None) -> Actor:
        """The request's signed-in user (if any and no label is given), address and browser.
        ``user`` names the actor where the request has nobody signed in but the account is
        known (a password reset by an e-mailed link)."""
        if user is None:
            user = getattr(request, "user", None)
            if user is not None and not user.is_authenticated:
                user = None
        signed_in = user is not None and not label
        return cls(
            user=user if signed_in else None,
            label=label or ("" if signed_in else "anonymous"),
            ip_address=client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
        )

    @classmethod
    def of(cls, user) -> Actor:
        """A user acting with no request: a management command, a shell, a test."""
        return cls(user=user)

    @classmethod
    def system(cls, label: str) -> Actor:
        """Work nobody started by hand: a Celery task, a beat job, a migration."""
        return cls(label=label)

    def __str__(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        return self.label
