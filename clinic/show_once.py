"""A secret shown to staff once, on the page they are sent to (a new private link).

The value waits in the session, never in the redirect's URL, so it reaches no log, history or
Referer; the page takes it out as it shows it, so a reload or the back button no longer has it.
"""

from django.http import HttpRequest


def keep(request: HttpRequest, key: str, value: str) -> None:
    """Hold value for the next page that takes key."""
    request.session[key] = value


def take(request: HttpRequest, key: str) -> str | None:
    """The value kept under key, removed so it is shown once; None when there is none."""
    return request.session.pop(key, None)
