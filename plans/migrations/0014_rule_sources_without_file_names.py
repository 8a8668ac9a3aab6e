"""Rule sources are shown to clinicians: they cite the published source, not this project's
reference file. Rows seeded before the change lose their "(DOMAIN.md s.N)" notes; a source a
clinic wrote itself is changed only where it carries such a note. Reasons are read by
patients: "(LSI {lsi})" becomes "({lsi})", which plans.rules.render fills with plain words."""

import re

from django.db import migrations

NOTES = [
    (re.compile(r"[;,]\s*DOMAIN\.md s\.\d(?:, s\.\d)*\)"), ")"),
    (re.compile(r"\s*\(DOMAIN\.md (?:s\.\d(?:, s\.\d)*|section \d)\)"), ""),
    (re.compile(r"^DOMAIN\.md s\.\d: (\w)"), lambda m: m.group(1).upper()),
]


def without_file_names(text: str) -> str:
    for pattern, replacement in NOTES:
        text = pattern.sub(replacement, text)
    return text


def plain_reason(text: str) -> str:
    return text.replace("(LSI {lsi})", "({lsi})").replace("tested weak on", "tested weaker on")


def forwards(apps, schema_editor):
    PlanRuleRow = apps.get_model("plans", "PlanRuleRow")
    for row in PlanRuleRow.objects.all():
        source, reason = without_file_names(row.source), plain_reason(row.reason)
        if (source, reason) != (row.source, row.reason):
            row.source, row.reason = source, reason
            row.save(update_fields=["source", "reason"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0013_run_files")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
