"""The UI shell: role-aware navigation, the dashboard, error pages without internals."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from clinic.access import Role
from intake.models import Patient


@pytest.mark.django_db
def test_dashboard_shows_clinical_panels_only_to_clinicians(client, clinician, frontdesk):
    client.force_login(clinician)
    page = client.get(reverse("clinic:dashboard")).content.decode()
    assert "Open red flags" in page and "Questionnaires awaiting review" in page
    client.force_login(frontdesk)
    page = client.get(reverse("clinic:dashboard")).content.decode()
    assert "Open red flags" not in page and "Today&#x27;s discovery calls" in page


@pytest.mark.django_db
def test_navigation_shows_admin_links_only_to_the_clinic_admin(client, clinician, clinic_admin):
    client.force_login(clinician)
    page = client.get(reverse("clinic:dashboard")).content.decode()
    assert "Audit trail" not in page and "Clinic admin<" not in page
    client.force_login(clinic_admin)
    page = client.get(reverse("clinic:dashboard")).content.decode()
    assert reverse("admin:clinic_auditevent_changelist") in page


@pytest.mark.django_db
def test_staff_pages_are_not_stored_by_browsers(client, clinician):
    client.force_login(clinician)
    response = client.get(reverse("clinic:dashboard"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_not_found_page_is_friendly_and_shows_no_internals(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "find that page" in body and "Traceback" not in body and "urlpatterns" not in body


@pytest.mark.django_db
def test_server_error_page_is_generic(settings, clinician):
    from django.urls import path

    from clinic import urls as project_urls

    def explode(request):
        raise RuntimeError("patient Jane Doe 1990-01-01 broke this")

    settings.ROOT_URLCONF = type(
        "U", (), {"urlpatterns": [*project_urls.urlpatterns, path("boom/", explode)]}
    )
    client = Client(raise_request_exception=False)
    client.force_login(clinician)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body and "Jane Doe" not in body


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_gives_each_demo_user_a_role():
    call_command("seed_demo")
    call_command("seed_demo")
    from django.contrib.auth.models import User

    roles = {u.username: {g.name for g in u.groups.all()} for u in User.objects.all()}
    assert roles == {
        "clinician": {Role.CLINICIAN.value},
        "frontdesk": {Role.FRONT_DESK.value},
        "admin": {Role.CLINIC_ADMIN.value},
    }
    assert Patient.objects.count() == 4


@pytest.mark.django_db
def test_each_demo_user_can_log_in_with_the_default_password(client):
    call_command("seed_demo")
    for username in ("clinician", "frontdesk", "admin"):
        response = client.post(
            reverse("login"), {"username": username, "password": "run-clinic-demo"}
        )
        assert response.status_code == 302 and response["Location"] == reverse("clinic:dashboard")
        assert client.get(reverse("clinic:dashboard")).status_code == 200
        client.post(reverse("logout"))


@pytest.mark.django_db
def test_password_reset_mail_subject_carries_no_personal_data(client, clinician, mailoutbox):
    client.post(reverse("password_reset"), {"email": clinician.email})
    assert len(mailoutbox) == 1
    assert clinician.email not in mailoutbox[0].subject
    assert "/accounts/password/reset/" in mailoutbox[0].body


@pytest.mark.django_db
def test_a_password_reset_is_audited_refused_or_done_and_ends_other_sessions(
    client, clinician, mailoutbox
):
    from clinic.models import AuditAction, AuditEvent

    other_device = Client()
    other_device.force_login(clinician)
    client.post(reverse("password_reset"), {"email": clinician.email})
    link = next(w for w in mailoutbox[0].body.split() if "/accounts/password/reset/" in w)
    path = "/" + link.split("/", 3)[3]

    uid = path.rstrip("/").split("/")[-2]
    refused = client.get(reverse("password_reset_confirm", args=[uid, "1-not-a-token"]))
    assert refused.status_code == 200 and b'name="new_password1"' not in refused.content
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None and event.actor_label == clinician.username  # like a bad login
    assert "reset link refused" in event.detail

    form = client.get(path, follow=True)
    assert b'name="new_password1"' in form.content
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1
    new = "a-long-new-pass-phrase-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGED, actor=clinician, detail="password reset by link"
    ).exists()
    assert other_device.get(reverse("clinic:dashboard")).status_code == 302  # to the login
    assert client.get(path).status_code == 200  # a used link is refused again …
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 2  # … and audited


@pytest.mark.django_db
def test_a_password_reset_from_a_signed_in_browser_of_the_same_user_ends_well(
    client, clinician, mailoutbox
):
    client.force_login(clinician)
    client.post(reverse("password_reset"), {"email": clinician.email})
    link = next(w for w in mailoutbox[0].body.split() if "/accounts/password/reset/" in w)
    form = client.get("/" + link.split("/", 3)[3], follow=True)
    new = "a-long-new-pass-phrase-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"].endswith("/complete/")
    assert client.get(reverse("clinic:dashboard")).status_code == 302  # signed out everywhere


@pytest.mark.django_db
def test_an_htmx_request_without_a_session_reloads_the_page_to_the_login(client):
    response = client.get(
        reverse("intake:outcome_measure_form", args=["LEFS"]),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/evaluations/7/edit/"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/evaluations/7/edit/"
    plain = client.get(reverse("intake:outcome_measure_form", args=["LEFS"]))
    assert plain.status_code == 302 and "/accounts/login/" in plain["Location"]
