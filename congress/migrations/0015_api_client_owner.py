"""Every integration client has an owner: the person its token was last issued to.

Existing clients get the person who received their latest token, read from the audit log: the actor of the
latest named `rotate_token` entry, or else of the client's creation entry. When that latest issue was made by the
system (`manage.py create_api_client`, which named nobody before this change), the person is unknown and the owner
stays empty rather than being guessed; such a client gets its owner at its next rotation (in the console, the
person rotating; on the command line, `--owner`). Until then its reads of personal data are logged against the
client alone, as before."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def owners_from_the_audit_log(apps, schema_editor):
    ApiClient = apps.get_model("congress", "ApiClient")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    content_type = ContentType.objects.filter(app_label="congress", model="apiclient").first()
    if content_type is None:
        return  # a fresh database: no clients yet
    for client in ApiClient.objects.filter(owner__isnull=True):
        entries = LogEntry.objects.filter(content_type=content_type, object_pk=str(client.pk)).order_by("-timestamp")
        for entry in entries:
            issued = entry.action == 0 or (entry.additional_data or {}).get("action") == "rotate_token"
            if issued:
                # The latest issue decides, whoever made it: a system rotation leaves the owner unknown.
                if entry.actor_id is not None:
                    ApiClient.objects.filter(pk=client.pk).update(owner_id=entry.actor_id)
                break


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0014_authenticator"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="apiclient",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                help_text="The person the token was last issued to; personal data read through the client is "
                "logged against them.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="owned_api_clients",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        migrations.RunPython(owners_from_the_audit_log, migrations.RunPython.noop),
    ]
