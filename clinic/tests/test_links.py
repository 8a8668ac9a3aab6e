"""The one private-link opener (``@patient_link``), through a link kind declared only here:
a model and a decorator argument are all a new kind needs. Each state gets its page and
status, refusals are audited, and the date-of-birth check locks the link."""

import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from clinic import urls as clinic_urls
from clinic.access import patient_link, rule_of
from clinic.actors import Actor
from clinic.links import BirthDateLink
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import IntakeLinkFactory, PatientFactory, UserFactory

CHECK_PAGE = {"heading": "Your parcel", "intro": "Your date of birth, please.", "button": "Open"}
BORN = datetime.date(1990, 5, 17)

# The test kind's views exist only once its model does (the fixture); these URLs reach them.
VIEWS: dict = {}
urlpatterns = [
    path(f"t/{name}/<str:token>/", lambda request, name=name, **kw: VIEWS[name](request, **kw))
    for name in ("plain", "done", "dob", "photo", "before")
] + clinic_urls.urlpatterns


@pytest.fixture
def parcel(db, settings):
    """A seventh link kind: a model inheriting BirthDateLink, its table made for the test (the
    test's transaction drops it again), and views that declare it with ``@patient_link``."""
    settings.ROOT_URLCONF = __name__

    class ParcelLink(BirthDateLink):
        SALT = "tests.ParcelLink"
        FIND_RELATED = ("owner",)
        SESSION_PREFIX = "parcel-link"
        ACTOR_LABEL = "patient (parcel link)"

        owner = models.ForeignKey("intake.Patient", on_delete=models.PROTECT, related_name="+")
        withdrawn = models.BooleanField(default=False)

        class Meta(BirthDateLink.Meta):
            app_label = "clinic"

        @property
        def patient(self):
            return self.owner

        def refusal(self) -> str:
            return "parcel withdrawn" if self.withdrawn else ""

    with connection.schema_editor() as editor:
        editor.create_model(ParcelLink)

    def show(request, link, token):
        return HttpResponse(f"parcel {link.pk} fresh={link.birth_date_just_checked}")

    def done(request, link):
        return HttpResponse("thank you", status=200) if link.state == "used" else None

    def before(request):
        return HttpResponse("slow down", status=429) if request.GET.get("busy") else None

    VIEWS.update(
        plain=patient_link(ParcelLink)(show),
        done=patient_link(ParcelLink, done=done)(show),
        dob=patient_link(ParcelLink, birth_date=CHECK_PAGE)(show),
        photo=patient_link(ParcelLink, birth_date=CHECK_PAGE, asset=True)(show),
        before=patient_link(ParcelLink, before=before)(show),
    )
    yield ParcelLink
    VIEWS.clear()
    del apps.all_models["clinic"]["parcellink"]
    apps.clear_cache()
    ContentType.objects.clear_cache()


def make(model, **fields):
    defaults = {
        "owner": PatientFactory(date_of_birth=BORN),
        "created_by": UserFactory(),
        "expires_at": timezone.now() + datetime.timedelta(days=1),
    }
    return model.issue(**{**defaults, **fields})


def denials():
    """The opener's refusals (a 404 also leaves a row of its own, with no object)."""
    rows = AuditEvent.objects.filter(action=AuditAction.DENIED).exclude(object_id="")
    return list(rows.values_list("detail", "actor_label", "patient_id"))


def test_the_decorator_declares_the_patient_link_rule(parcel):
    assert rule_of(VIEWS["plain"]).kind == "patient_link"
    assert VIEWS["dob"].link_opening.birth_date == CHECK_PAGE


def test_an_active_link_reaches_the_view_with_its_link(parcel):
    link, token = make(parcel)
    response = Client().get(f"/t/plain/{token}/")
    assert response.status_code == 200
    assert response.content.decode() == f"parcel {link.pk} fresh=False"
    assert denials() == []


@pytest.mark.parametrize("token", ["nonsense", "abc:def"])
def test_a_wrong_token_is_the_invalid_page_and_is_not_audited(parcel, token):
    make(parcel)
    response = Client().get(f"/t/plain/{token}/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert denials() == []


def test_a_token_of_another_kind_opens_nothing(parcel):
    other = IntakeLinkFactory()
    assert Client().get(f"/t/plain/{other.signed_token}/").status_code == 404


@pytest.mark.parametrize(
    "fields, status, text, detail",
    [
        ({"revoked_at": timezone.now()}, 410, "This link is no longer active", "link revoked"),
        ({"expires_at": timezone.now()}, 410, "This link has expired", "link expired"),
        ({"used_at": timezone.now()}, 410, "This link is no longer active", "link used"),
        ({"withdrawn": True}, 410, "This link is no longer active", "parcel withdrawn"),
    ],
)
def test_a_refused_link_gets_the_unavailable_page_and_an_audit_row(
    parcel, fields, status, text, detail
):
    link, token = make(parcel, **fields)
    response = Client().get(f"/t/plain/{token}/")
    assert (response.status_code, text in response.content.decode()) == (status, True)
    assert denials() == [(detail, "patient (parcel link)", link.owner_id)]
    event = AuditEvent.objects.exclude(object_id="").get(action=AuditAction.DENIED)
    assert event.object_id == str(link.pk)


def test_a_kind_that_does_not_audit_refusals_leaves_no_row(parcel, monkeypatch):
    monkeypatch.setattr(parcel, "AUDIT_REFUSALS", False)
    _, token = make(parcel, revoked_at=timezone.now())
    assert Client().get(f"/t/plain/{token}/").status_code == 410
    assert denials() == []


def test_the_done_page_comes_before_the_state(parcel):
    _, used = make(parcel, used_at=timezone.now())
    _, active = make(parcel)
    assert Client().get(f"/t/done/{used}/").content == b"thank you"
    assert Client().get(f"/t/done/{active}/").content.startswith(b"parcel")
    assert denials() == []


def test_before_runs_before_the_token_is_looked_up(parcel):
    assert Client().get("/t/before/nonsense/?busy=1").status_code == 429
    assert Client().get("/t/before/nonsense/").status_code == 404


def test_the_birth_date_check_opens_the_link_for_this_browser_only(parcel):
    link, token = make(parcel)
    url = f"/t/dob/{token}/"
    client = Client()
    page = client.get(url)
    assert (page.status_code, "Your date of birth, please." in page.content.decode()) == (200, True)
    opened = client.post(url, {"date_of_birth": BORN.isoformat()})
    assert opened.content.decode() == f"parcel {link.pk} fresh=True"  # the form, not a post
    assert client.get(url).content.decode() == f"parcel {link.pk} fresh=False"
    assert Client().get(url).status_code == 200  # another browser: the check page again
    assert "Your date of birth" in Client().get(url).content.decode()
    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert (login.detail, login.patient_id) == ("date of birth checked", link.owner_id)


def test_wrong_birth_dates_lock_the_link(parcel):
    link, token = make(parcel)
    url = f"/t/dob/{token}/"
    client = Client()
    wrong = {"date_of_birth": "1991-01-01"}
    for left in range(parcel.MAX_BIRTH_DATE_TRIES - 1, 0, -1):
        assert f"{left} tries left" in client.post(url, wrong).content.decode()
    assert client.post(url, wrong).status_code == 403
    link.refresh_from_db()
    assert link.locked_at is not None and link.state == "locked"
    # Locked: even the right date no longer opens it, from any browser.
    assert Client().post(url, {"date_of_birth": BORN.isoformat()}).status_code == 403
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count()
    assert failed == parcel.MAX_BIRTH_DATE_TRIES


def test_an_asset_is_a_bare_404_until_the_page_was_opened(parcel):
    link, token = make(parcel)
    client = Client()
    assert client.get(f"/t/photo/{token}/").status_code == 404
    client.post(f"/t/dob/{token}/", {"date_of_birth": BORN.isoformat()})
    assert client.get(f"/t/photo/{token}/").status_code == 200
    parcel.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    assert client.get(f"/t/photo/{token}/").status_code == 404


def test_revoke_is_audited_once(parcel):
    link, _ = make(parcel)
    actor = Actor(user=UserFactory(), ip_address="127.0.0.1", user_agent="test")
    assert link.revoke(actor=actor) is True
    assert link.revoke(actor=actor) is False
    assert link.state == "revoked"
    event = AuditEvent.objects.get(action=AuditAction.REVOKED)
    assert (event.object_id, event.patient_id) == (str(link.pk), link.owner_id)


def test_revoking_a_queryset_stops_only_open_links(parcel):
    earlier = timezone.now() - datetime.timedelta(hours=1)
    old, _ = make(parcel, revoked_at=earlier)
    live, _ = make(parcel)
    assert parcel.objects.revoke() == 1
    old.refresh_from_db()
    live.refresh_from_db()
    assert old.revoked_at == earlier and live.state == "revoked"
