from django import template

from clinic import units

register = template.Library()


@register.filter
def distance(km):
    """A stored distance in km, shown in the clinic's unit: "12.4 miles"."""
    return units.format_distance(km) or "—"


@register.filter
def speed(kmh):
    """A stored speed in km/h, shown in the clinic's unit: "6.5 mph"."""
    return units.format_speed(kmh) or "—"


@register.filter
def pace(sec_per_km):
    text = units.format_pace(sec_per_km)
    return f"{text} per {'mile' if units.distance_unit() == 'mi' else 'km'}" if text else "—"


@register.simple_tag
def clinic_phone(plain: bool = False):
    """The clinic's phone number as a tap-to-call link (or plain text for mail).

    A tag rather than the context processor's CLINIC_PHONE so that it also works where no
    request is rendered: PDFs in the worker, mails, the 500 page.
    """
    from django.conf import settings
    from django.utils.html import format_html

    from clinic.context_processors import phone_tel

    number = settings.CLINIC_PHONE
    if plain:
        return number
    return format_html('<a href="tel:{}" class="text-nowrap">{}</a>', phone_tel(number), number)


@register.filter
def ago(when):
    """ "just now" under a minute (timesince would say "0 minutes"), else "5 minutes ago"."""
    from django.utils import timezone
    from django.utils.timesince import timesince

    if when is None:
        return ""
    if (timezone.now() - when).total_seconds() < 60:
        return "just now"
    return f"{timesince(when)} ago"
