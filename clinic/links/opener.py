"""The one way a private link opens, for every kind (``@patient_link`` in clinic/access.py):
find the link for the URL's token, refuse it when it is not usable (audited, the one
"unavailable" page), run the date-of-birth check with its lockout where the kind asks for
one, and only then hand the view its link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.audit import audit
from clinic.models import AuditAction

from .birth_date import birth_date_checked, check_birth_date
from .models import PrivateLink
from .pages import link_unavailable

# A page instead of the link's own, or None to go on.
Page = Callable[[HttpRequest, PrivateLink], HttpResponse | None]


@dataclass(frozen=True)
class Opening:
    """How one view opens its kind of link (the arguments of ``@patient_link``)."""

    model: type[PrivateLink]
    url_kwarg: str = "token"  # the URL keyword that holds the signed token
    # Shown instead of the link's pages once what it opens is done (the questionnaire sent,
    # the call cancelled), before the link's state is looked at.
    done: Page | None = None
    birth_date: dict | None = None  # the check page's words: the kind asks for the birth date
    asset: bool = False  # a file inside a page (a photo): every refusal is a bare 404
    # Run before the token is even looked up (a rate limit against guessing): a page, or None.
    before: Callable[[HttpRequest], HttpResponse | None] | None = None


def open_link(request: HttpRequest, opening: Opening, token: str) -> PrivateLink | HttpResponse:
    """The usable link for ``token``, or the page to show instead (raises Http404 for an
    asset). A link that passed the date-of-birth check on this very request carries
    ``birth_date_just_checked`` (the request was the check's form, not the page's own)."""
    page = _open(request, opening, token)
    if isinstance(page, HttpResponse) and opening.asset:
        raise Http404
    return page


def _open(request, opening: Opening, token: str):
    if opening.before is not None:
        page = opening.before(request)
        if page is not None:
            return page
    link = opening.model.find(token)
    if link is None:
        return link_unavailable(request, "invalid")
    if opening.done is not None:
        page = opening.done(request, link)
        if page is not None:
            return page
    state = link.state
    if state == "locked":
        return render(request, "plans/patient_locked.html", status=403)
    if state != "active":
        _denied(request, link, f"link {state}")
        return link_unavailable(request, "expired" if state == "expired" else "revoked")
    reason = link.refusal()
    if reason:
        _denied(request, link, reason)
        return link_unavailable(request, "revoked")
    link.birth_date_just_checked = False
    if opening.birth_date is not None:
        if opening.asset:
            # Only a page the check already opened shows its files; no check page here.
            if not birth_date_checked(request, link):
                raise Http404
            return link
        fresh = not birth_date_checked(request, link)
        page = check_birth_date(request, link, opening.birth_date)
        if page is not None:
            return page
        link.birth_date_just_checked = fresh
    return link


def _denied(request, link: PrivateLink, detail: str) -> None:
    if link.AUDIT_REFUSALS:
        audit(
            request,
            AuditAction.DENIED,
            obj=link,
            patient=getattr(link, "patient", None),
            actor_label=link.ACTOR_LABEL,
            detail=detail,
        )
