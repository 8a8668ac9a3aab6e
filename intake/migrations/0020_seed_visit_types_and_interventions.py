from django.db import migrations

from clinic.roles import grant

ROLE_PERMISSIONS = {
    "Clinic admin": [
        "intake.view_visittype",
        "intake.add_visittype",
        "intake.change_visittype",
        "intake.view_interventiontype",
        "intake.add_interventiontype",
        "intake.change_interventiontype",
    ],
    "Front desk": ["intake.view_visittype"],
    "Clinician": ["intake.view_visittype", "intake.view_interventiontype"],
}


def seed(apps, schema_editor):
    """The defaults of intake.visit_catalogue; a type the clinic already has is left as it is."""
    from intake import visit_catalogue

    VisitType = apps.get_model("intake", "VisitType")
    InterventionType = apps.get_model("intake", "InterventionType")
    for order, v in enumerate(visit_catalogue.VISIT_TYPES, start=1):
        VisitType.objects.get_or_create(
            key=v.key, defaults={"name": v.name, "minutes": v.minutes, "kind": v.kind, "order": order}
        )
    for order, i in enumerate(visit_catalogue.INTERVENTIONS, start=1):
        InterventionType.objects.get_or_create(
            key=i.key,
            defaults={
                "name": i.name,
                "cpt_code": i.cpt,
                "timed": i.timed,
                "needs_consent": i.needs_consent,
                "order": order,
            },
        )
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0019_visit_types_and_interventions"),
        ("clinic", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
