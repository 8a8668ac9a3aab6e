"""The page a patient sees when a private link does not open (wrong, expired or revoked),
the same for every kind of link: the questionnaire, the outcome measures, the call's manage
link, the plan, the record copy and the coach page."""

from django.shortcuts import render

UNAVAILABLE_MESSAGES = {
    "invalid": (
        404,
        "This link does not work",
        "The link may have been copied incompletely. Please use the whole link from your "
        "e-mail or message, or ask the clinic to send a new one.",
    ),
    "expired": (
        410,
        "This link has expired",
        "Private links work for a limited time. Please ask the clinic to send you a new one; "
        "anything you already saved is kept.",
    ),
    "revoked": (
        410,
        "This link is no longer active",
        "The clinic has replaced or cancelled this link. Please use the newest link they "
        "sent you, or call the clinic.",
    ),
}


def link_unavailable(request, reason: str):
    status, title, text = UNAVAILABLE_MESSAGES[reason]
    return render(
        request,
        "intake/self_intake_unavailable.html",
        {"title": title, "text": text},
        status=status,
    )
