"""An opinion taken up as a suggestion waits for it: the citizen's feedback clock starts when the suggestion is
replied to, declined or withdrawn, no longer at triage. Opinions already waiting are brought in line: one whose
suggestion has its outcome records when (its first reply, or else when the suggestion was closed or last
changed); one whose suggestion is still open loses the feedback clock its triage opened, and gets it when the
suggestion has its outcome."""

from django.db import migrations, models
from django.utils import timezone

SETTLED = ["replied", "rehandling", "follow_up", "closed", "declined", "withdrawn"]


def wait_for_suggestions(apps, schema_editor):
    CitizenOpinion = apps.get_model("liaison_stations", "CitizenOpinion")
    Suggestion = apps.get_model("suggestions", "Suggestion")
    Reply = apps.get_model("suggestions", "Reply")
    Deadline = apps.get_model("congress", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    opinion_type = ContentType.objects.filter(app_label="liaison_stations", model="citizenopinion").first()
    now = timezone.now()
    for opinion in CitizenOpinion.objects.filter(status="to_suggestion").iterator():
        suggestion = Suggestion.objects.filter(opinion_id=opinion.pk).order_by("-pk").first()
        if suggestion is None:
            continue
        if suggestion.status in SETTLED:
            first_reply = (
                Reply.objects.filter(assignment__suggestion_id=suggestion.merged_into_id or suggestion.pk)
                .order_by("created_at")
                .first()
            )
            settled = first_reply.created_at if first_reply else (suggestion.closed_at or suggestion.updated_at)
            CitizenOpinion.objects.filter(pk=opinion.pk).update(suggestion_settled_at=settled)
        elif opinion_type is not None:
            Deadline.objects.filter(
                content_type=opinion_type, object_id=opinion.pk, kind="opinion.feedback", met_at__isnull=True,
                cancelled_at__isnull=True,
            ).update(cancelled_at=now, updated_at=now)  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("liaison_stations", "0004_personal_data_encrypted"),
        ("suggestions", "0005_feedback_congress_unit"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizenopinion",
            name="sms_sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="SMS sent at"),
        ),
        migrations.AddField(
            model_name="citizenopinion",
            name="sms_wanted",
            field=models.BooleanField(default=False, verbose_name="SMS when the suggestion is answered"),
        ),
        migrations.AddField(
            model_name="citizenopinion",
            name="suggestion_settled_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="suggestion answered at"),
        ),
        migrations.RunPython(wait_for_suggestions, migrations.RunPython.noop),
    ]
