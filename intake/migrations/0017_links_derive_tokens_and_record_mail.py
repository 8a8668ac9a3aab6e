"""Links keep a nonce their token is derived from (so the mail worker can build the link after
the request commits) and where their e-mail is (mail_status replaces sent_by_mail)."""

from django.db import migrations, models

# As clinic.links.models.MailStatus was when this ran.
MAIL_STATUSES = [
    ("", "Not e-mailed"),
    ("queued", "E-mail queued"),
    ("sending", "E-mail being sent"),
    ("sent", "E-mailed"),
    ("failed", "E-mail failed"),
    ("skipped", "Not e-mailed: the link stopped first"),
]
MODELS = ("callmanagelink", "intakelink", "outcomelink")


def mailed_links_say_sent(apps, schema_editor):
    for name in MODELS:
        apps.get_model("intake", name).objects.filter(sent_by_mail=True).update(mail_status="sent")


def sent_links_say_mailed(apps, schema_editor):
    for name in MODELS:
        apps.get_model("intake", name).objects.filter(mail_status="sent").update(sent_by_mail=True)


class Migration(migrations.Migration):
    dependencies = [("intake", "0016_one_booked_call_per_prospect_and_start")]

    operations = [
        *(
            migrations.AddField(
                model_name=name,
                name="nonce",
                field=models.CharField(blank=True, default="", max_length=43),
            )
            for name in ('intakelink', 'outcomelink')
        ),
        *(
            migrations.AddField(
                model_name=name,
                name="mail_status",
                field=models.CharField(
                    blank=True, choices=MAIL_STATUSES, default="", max_length=7
                ),
            )
            for name in MODELS
        ),
        migrations.RunPython(mailed_links_say_sent, sent_links_say_mailed),
        *(migrations.RemoveField(model_name=name, name="sent_by_mail") for name in MODELS),
    ]
