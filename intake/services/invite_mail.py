"""A mail with a calendar invite attached, as discovery calls and visits send them: the
clinic organises, the one addressee attends, REQUEST or CANCEL by ``cancelled``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage

from intake import ics


def invite_mail_send(
    *,
    subject: str,
    body: str,
    to: str,
    to_name: str,
    uid: str,
    start: datetime.datetime,
    end: datetime.datetime,
    summary: str,
    description: str,
    sequence: int,
    cancelled: bool,
) -> None:
    method = "CANCEL" if cancelled else "REQUEST"
    invite = ics.invite(
        uid=f"{uid}@runner-pt-clinic",
        start=start,
        end=end,
        summary=summary,
        description=description,
        organizer_email=settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">"),
        organizer_name=settings.CLINIC_NAME,
        attendee_email=to,
        attendee_name=to_name,
        tz=settings.TIME_ZONE,
        sequence=sequence,
        method=method,
    )
    mail = EmailMessage(subject=subject, body=body, to=[to])
    mail.attach("invite.ics", invite, f"text/calendar; charset=utf-8; method={method}")
    mail.send()
