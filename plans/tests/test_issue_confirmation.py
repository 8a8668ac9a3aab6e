"""Issuing asks first, and offers to send the patient their link in the same step."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from plans.models import PatientPlanLink, PlanVersion


@pytest.fixture
def plan(plan):
    """The shared plan (conftest.py), its patient with an e-mail address to send the link to."""
    plan.patient.email = "runner@example.com"
    plan.patient.save()
    return plan


@pytest.mark.django_db
def test_a_post_without_the_confirmation_issues_nothing(client, plan):
    response = client.post(reverse("plans:plan_issue", args=[plan.pk]), follow=True)
    assert not PlanVersion.objects.exists()
    assert "confirm to issue the plan" in response.content.decode()


@pytest.mark.django_db
def test_the_editor_offers_the_confirmation_with_the_link_ticked(client, plan):
    html = client.get(plan.get_absolute_url()).content.decode()
    step = html.split('<details class="confirm-step', 1)[1].split("</details>", 1)[0]
    assert "Issue version 1" in step and 'name="confirm" value="yes"' in step
    assert 'name="send_link" value="yes" id="issue-send-link" checked' in step


@pytest.mark.django_db
def test_issuing_with_the_link_mails_it_and_shows_it_to_copy(client, plan, link_mails_sent):
    with link_mails_sent():
        response = client.post(
            reverse("plans:plan_issue", args=[plan.pk]), {"confirm": "yes", "send_link": "yes"}
        )
    assert response["Location"] == plan.get_absolute_url()
    assert PlanVersion.objects.count() == 1
    link = PatientPlanLink.objects.get(plan=plan, purpose="mail")  # (the PDF has its own)
    assert link.sent_by_mail
    (message,) = mail.outbox
    assert message.to == [plan.patient.email]
    assert plan.patient.legal_last_name not in message.subject
    editor = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="new-plan-link"' in editor


@pytest.mark.django_db
def test_issuing_without_the_link_sends_nothing(client, plan):
    client.post(reverse("plans:plan_issue", args=[plan.pk]), {"confirm": "yes"})
    assert PlanVersion.objects.count() == 1
    assert not PatientPlanLink.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_the_link_goes_out_on_issue_only_for_who_may_send_links(client, plan, clinician):
    """Issuing needs plans.add_planversion; a link needs plans.change_plan like its own button."""
    change_plan = Permission.objects.get(codename="change_plan", content_type__app_label="plans")
    for group in clinician.groups.all():  # a role that may issue but not send links
        group.permissions.remove(change_plan)
    assert not clinician.__class__.objects.get(pk=clinician.pk).has_perm("plans.change_plan")
    client.force_login(clinician)
    response = client.post(
        reverse("plans:plan_issue", args=[plan.pk]), {"confirm": "yes", "send_link": "yes"}
    )
    assert response.status_code == 302
    assert PlanVersion.objects.count() == 1
    assert not PatientPlanLink.objects.exists() and mail.outbox == []
