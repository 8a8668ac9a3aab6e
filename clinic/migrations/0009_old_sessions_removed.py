"""Sessions moved to clinic.ClinicSession (0008): the rows left in Django's own table are no
longer read, and nothing would ever clear them. They go; everyone signs in once more."""

from django.db import migrations


def remove_old_sessions(apps, schema_editor):
    if "django_session" in schema_editor.connection.introspection.table_names():
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_session")


class Migration(migrations.Migration):
    dependencies = [("clinic", "0008_clinic_session"), ("sessions", "0001_initial")]

    operations = [migrations.RunPython(remove_old_sessions, migrations.RunPython.noop)]
