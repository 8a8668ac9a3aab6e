"""A new private link is shown to staff once: kept in the session, taken by the next page."""

from importlib import import_module

from django.conf import settings
from django.test import RequestFactory

from clinic import show_once


def request_with_session():
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return request


def test_a_kept_value_is_taken_once_then_gone():
    request = request_with_session()
    show_once.keep(request, "new-link-7", "https://clinic.test/q/abc")
    assert show_once.take(request, "new-link-7") == "https://clinic.test/q/abc"
    assert show_once.take(request, "new-link-7") is None
    assert "new-link-7" not in request.session


def test_nothing_kept_is_none_and_keys_do_not_mix():
    request = request_with_session()
    assert show_once.take(request, "new-plan-link-1") is None
    show_once.keep(request, "new-plan-link-1", "plan")
    show_once.keep(request, "new-coach-link-1", "coach")
    assert show_once.take(request, "new-coach-link-1") == "coach"
    assert show_once.take(request, "new-plan-link-1") == "plan"
