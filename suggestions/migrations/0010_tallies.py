"""The aggregate views the statistics page and the dashboard read (suggestions/tallies.py says what each keeps).
Each has a unique index over its grouping columns, which `REFRESH MATERIALIZED VIEW CONCURRENTLY` requires; the
nullable keys are folded (no session = 0, no category = 0, nothing owed = 9999-12-31) so that index holds every
row. Postgres only (congress.tallies.PostgresSQL)."""

from django.conf import settings
from django.db import migrations, models

from congress.tallies import PostgresSQL

OWING = "('assigned', 'received', 'release_requested', 'rehandling')"

SUGGESTION = f"""
CREATE MATERIALIZED VIEW suggestions_tally_suggestion AS
SELECT s.congress_id,
       coalesce(s.session_id, 0) AS session_key,
       coalesce(extract(year FROM s.submitted_at AT TIME ZONE '{settings.TIME_ZONE}')::int, 0) AS year,
       s.status,
       coalesce(s.category_id, 0) AS category_key,
       coalesce(owed.due, DATE '9999-12-31') AS late_from,
       count(*) AS n
FROM suggestions_suggestion s
LEFT JOIN (SELECT suggestion_id, min(reply_due) AS due FROM suggestions_assignment
           WHERE status IN {OWING} AND reply_due IS NOT NULL GROUP BY suggestion_id) owed
       ON owed.suggestion_id = s.id
WHERE s.status <> 'draft'
GROUP BY 1, 2, 3, 4, 5, 6;
CREATE UNIQUE INDEX suggestions_tally_suggestion_key
    ON suggestions_tally_suggestion (congress_id, session_key, year, status, category_key, late_from);
"""

ASSIGNMENT = f"""
CREATE MATERIALIZED VIEW suggestions_tally_assignment AS
SELECT a.congress_id,
       coalesce(a.session_id, 0) AS session_key,
       extract(year FROM a.assigned_on)::int AS year,
       a.unit_id,
       CASE WHEN a.status IN {OWING} AND a.reply_due IS NOT NULL THEN a.reply_due ELSE DATE '9999-12-31' END
           AS owing_due,
       count(*) AS total,
       count(*) FILTER (WHERE a.role <> 'co') AS answering,
       count(*) FILTER (WHERE a.replied_on IS NOT NULL) AS replied,
       count(*) FILTER (WHERE a.replied_on_time) AS on_time,
       count(*) FILTER (WHERE a.role <> 'co' AND a.replied_on IS NOT NULL) AS answering_replied,
       count(*) FILTER (WHERE a.role <> 'co' AND a.replied_on IS NULL) AS answering_unreplied,
       count(*) FILTER (WHERE a.replied_on IS NOT NULL AND a.met_face_to_face) AS met
FROM suggestions_assignment a
WHERE a.status <> 'released'
GROUP BY 1, 2, 3, 4, 5;
CREATE UNIQUE INDEX suggestions_tally_assignment_key
    ON suggestions_tally_assignment (congress_id, session_key, year, unit_id, owing_due);
"""

FEEDBACK = """
CREATE MATERIALIZED VIEW suggestions_tally_feedback AS
SELECT f.congress_id,
       coalesce(a.session_id, 0) AS session_key,
       extract(year FROM a.assigned_on)::int AS year,
       f.unit_id,
       count(*) FILTER (WHERE NOT f.deemed) AS rated,
       count(*) FILTER (WHERE f.on_result = 'satisfied') AS satisfied,
       count(*) FILTER (WHERE f.on_result = 'basically_satisfied') AS basically,
       count(*) FILTER (WHERE f.on_result = 'dissatisfied') AS dissatisfied,
       count(*) FILTER (WHERE f.on_attitude = 'satisfied') AS attitude_satisfied,
       count(*) FILTER (WHERE f.on_attitude = 'basically_satisfied') AS attitude_basically,
       count(*) FILTER (WHERE f.on_attitude = 'dissatisfied') AS attitude_dissatisfied,
       count(*) FILTER (WHERE f.deemed) AS no_response
FROM suggestions_feedback f
JOIN suggestions_reply r ON r.id = f.reply_id
JOIN suggestions_assignment a ON a.id = r.assignment_id
GROUP BY 1, 2, 3, 4;
CREATE UNIQUE INDEX suggestions_tally_feedback_key ON suggestions_tally_feedback (congress_id, session_key, year, unit_id);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('congress', '0017_tallies'),
        ('suggestions', '0009_merge_20261207_0343'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        PostgresSQL(SUGGESTION, "DROP MATERIALIZED VIEW suggestions_tally_suggestion"),
        PostgresSQL(ASSIGNMENT, "DROP MATERIALIZED VIEW suggestions_tally_assignment"),
        PostgresSQL(FEEDBACK, "DROP MATERIALIZED VIEW suggestions_tally_feedback"),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(condition=models.Q(('status__in', ['assigned', 'received', 'release_requested', 'rehandling'])), fields=['congress', 'reply_due', 'id'], name='assignment_owing_due'),
        ),
    ]
