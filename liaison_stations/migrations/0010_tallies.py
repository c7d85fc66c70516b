"""The aggregate view behind the dashboard's station visits panel: active deputies per congress region code,
congress, year and number of duty visits that year (a county's deputies share their congress's code, so a
province holds a few thousand rows). Every year with visits and the current year are kept, so a deputy without
a visit this year is counted too. The unique index (year, code with pattern ops, congress, visits) lets
`REFRESH MATERIALIZED VIEW CONCURRENTLY` work and a region prefix read one index range. Postgres only."""

from django.conf import settings
from django.db import migrations

from congress.tallies import PostgresSQL

VISITS = f"""
CREATE MATERIALIZED VIEW liaison_stations_tally_visits AS
WITH years AS (
    SELECT DISTINCT year::int AS year FROM liaison_stations_visit
    UNION SELECT extract(year FROM now() AT TIME ZONE '{settings.TIME_ZONE}')::int
), counted AS (
    SELECT mandate_id, year::int AS year, count(*) AS n FROM liaison_stations_visit GROUP BY 1, 2
)
SELECT m.region_code, m.congress_id, years.year, coalesce(counted.n, 0) AS visits, count(*) AS deputies
FROM deputies_mandate m
CROSS JOIN years
LEFT JOIN counted ON counted.mandate_id = m.id AND counted.year = years.year
WHERE m.status = 'active'
GROUP BY 1, 2, 3, 4;
CREATE UNIQUE INDEX liaison_stations_tally_visits_key
    ON liaison_stations_tally_visits (year, region_code varchar_pattern_ops, congress_id, visits);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("liaison_stations", "0009_reception_attendance"),
        ("deputies", "0011_mandate_region_code"),
    ]

    operations = [PostgresSQL(VISITS, "DROP MATERIALIZED VIEW liaison_stations_tally_visits")]
