"""The admin site: a clinic admin cannot take over a superuser; its filters take odd input."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse


@pytest.mark.django_db
def test_a_clinic_admin_cannot_change_a_superuser_or_their_password(client, clinic_admin):
    root = User.objects.create_superuser("root", "root@example.com", "a-long-root-password")
    client.force_login(clinic_admin)
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code in (302, 403)
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    client.post(url, {"password1": "takeover-passphrase-1", "password2": "takeover-passphrase-1"})
    root.refresh_from_db()
    assert root.check_password("a-long-root-password")


@pytest.mark.django_db
def test_the_audit_filter_shrugs_off_odd_patient_ids(client, clinic_admin):
    client.force_login(clinic_admin)
    url = reverse("admin:clinic_auditevent_changelist")
    assert client.get(url, {"patient": "²"}).status_code == 200
    assert client.get(url, {"patient": "12x"}).status_code == 200
