"""What several clinic test modules use alike (not a test module: nothing here is collected)."""

from django.test import Client
from django.urls import URLPattern, URLResolver


def walk_urls(patterns, namespace=""):
    """(namespace prefix such as "plans:", pattern) for every URL pattern, depth first."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk_urls(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def client_for(user=None) -> Client:
    """A test browser, logged in as ``user`` (anonymous when None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def formset(prefix: str, maximum: int, row: dict) -> dict:
    """The POST of a formset with one new row."""
    management = {"TOTAL_FORMS": "1", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0"}
    return {
        **{f"{prefix}-{k}": v for k, v in management.items()},
        f"{prefix}-MAX_NUM_FORMS": str(maximum),
        **{f"{prefix}-0-{k}": v for k, v in row.items()},
    }
