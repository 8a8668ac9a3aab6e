"""Visit types and the intervention catalogue (issue 21, step 1): seeded defaults the clinic
admin edits, with their bounds held by the database as well as the form."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from intake import visit_catalogue
from intake.billing_units import Service, bill, summary
from intake.models import InterventionType, VisitType


@pytest.mark.django_db
def test_a_new_clinic_has_the_default_visit_types():
    assert list(VisitType.objects.values_list("key", "minutes")) == [
        ("initial_evaluation", 60),
        ("follow_up", 45),
        ("re_evaluation", 45),
        ("gait_analysis", 60),
        ("discharge", 30),
    ]


@pytest.mark.django_db
def test_the_intervention_catalogue_carries_domain_cpt_codes_and_timing():
    by_key = {i.key: i for i in InterventionType.objects.all()}
    assert {k: (i.cpt_code, i.timed) for k, i in by_key.items() if k != "laser"} == {
        d.key: (d.cpt, d.timed) for d in visit_catalogue.INTERVENTIONS if d.key != "laser"
    }
    assert (by_key["manual_therapy"].cpt_code, by_key["manual_therapy"].timed) == ("97140", True)
    needling = by_key["dry_needling_3"]
    assert (needling.cpt_code, needling.timed, needling.needs_consent) == ("20561", False, True)
    assert by_key["laser"].cpt_code == ""  # no code in DOMAIN.md: recorded, not billed


@pytest.mark.django_db
def test_a_typical_follow_up_bills_by_the_8_minute_rule_from_the_catalogue():
    codes = dict(InterventionType.objects.values_list("key", "cpt_code"))
    lines = bill(
        [
            Service(codes["therapeutic_exercise"], True, 23),
            Service(codes["manual_therapy"], True, 10),
            Service(codes["gait_training"], True, 8),
            Service(codes["dry_needling_1_2"], False),
        ]
    )
    # 41 timed minutes = 3 units: 97110 one full unit; the two left go to 97140 (10 minutes
    # left) and 97110 (8 left, tied with 97116 and listed first).
    assert summary(lines) == "97110 x2, 97140 x1 (41 timed minutes); 20560 x1"


@pytest.mark.django_db
def test_the_database_refuses_a_visit_length_out_of_bounds():
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitType.objects.create(key="x", name="Too long", kind="treatment", minutes=600)


@pytest.mark.django_db
def test_the_clinic_admin_sets_a_length_and_a_bad_one_is_refused_on_the_page(client, clinic_admin):
    follow_up = VisitType.objects.get(key="follow_up")
    client.force_login(clinic_admin)
    url = reverse("admin:intake_visittype_change", args=[follow_up.pk])
    data = {"key": "follow_up", "name": "Follow-up visit", "kind": "treatment", "order": 2}
    response = client.post(url, {**data, "minutes": "5", "active": "on"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 10" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.minutes == 45
    response = client.post(url, {**data, "minutes": "50", "active": "on"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.minutes == 50


@pytest.mark.django_db
def test_a_cpt_code_is_five_digits(client, clinic_admin):
    laser = InterventionType.objects.get(key="laser")
    client.force_login(clinic_admin)
    url = reverse("admin:intake_interventiontype_change", args=[laser.pk])
    data = {"key": "laser", "name": "Laser", "timed": "on", "active": "on", "order": 12}
    response = client.post(url, {**data, "cpt_code": "9703X"})
    assert response.status_code == 200 and "A CPT code is five digits." in response.content.decode()


@pytest.mark.django_db
def test_front_desk_and_clinicians_cannot_change_the_visit_types(client, frontdesk, clinician):
    follow_up = VisitType.objects.get(key="follow_up")
    url = reverse("admin:intake_visittype_change", args=[follow_up.pk])
    for user in (frontdesk, clinician):
        client.force_login(user)
        data = {"key": "follow_up", "name": "Hacked", "kind": "treatment", "minutes": "45"}
        response = client.post(url, {**data, "order": "2", "active": "on"})
        assert response.status_code in (302, 403)  # not admin-site staff: to the login
    follow_up.refresh_from_db()
    assert follow_up.name == "Follow-up visit"
