from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_opinion_due(apps, schema_editor):
    """A co-handler now keeps its opinion's due date where a reply's is kept, so a late one shows as overdue."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("congress", "Deadline")
    Assignment = apps.get_model("suggestions", "Assignment")
    content_type = ContentType.objects.filter(app_label="suggestions", model="assignment").first()
    if content_type is None:
        return
    due = Deadline.objects.filter(
        content_type=content_type,
        object_id=OuterRef("pk"),
        kind="assignment.co_opinion",
        met_at__isnull=True,
        cancelled_at__isnull=True,
    ).values("due_date")[:1]
    Assignment.objects.filter(role="co", reply_due__isnull=True).update(reply_due=Subquery(due))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("congress", "0016_idempotency_body_encrypted"),
        ("suggestions", "0006_feedback_no_response"),
    ]

    operations = [migrations.RunPython(copy_opinion_due, migrations.RunPython.noop)]
