"""The production WSGI app plus one bench-only route: the bare view that the throughput case compares against.

/bench/bare-organisations runs the same count and page query as the organisation list API for the same
client (token lookup included) and writes JSON with json.dumps: what a hand-written endpoint would do."""

import hashlib
import json

from django.db import close_old_connections, connection

from congress.wsgi import application as django_application  # noqa: I001 - sets up Django first

SQL_PAGE = (
    "SELECT o.id, o.name, o.kind, o.unit_category, o.region_id, o.congress_id, o.parent_id, o.phone, o.is_active, "
    "o.updated_at FROM congress_organisation o JOIN congress_region r ON r.id = o.region_id "
    "WHERE r.code LIKE %s ORDER BY r.code, o.kind, o.name LIMIT 50"
)
SQL_COUNT = (
    "SELECT COUNT(*) FROM congress_organisation o JOIN congress_region r ON r.id = o.region_id WHERE r.code LIKE %s"
)
SQL_CLIENT = (
    "SELECT r.code FROM congress_apiclient c JOIN congress_congress g ON g.id = c.congress_id "
    "JOIN congress_region r ON r.id = g.region_id WHERE c.token_hash = %s AND c.is_active"
)


def bare_organisations(environ, start_response):
    close_old_connections()
    token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    with connection.cursor() as cursor:
        cursor.execute(SQL_CLIENT, [hashlib.sha256(token.encode()).hexdigest()])
        found = cursor.fetchone()
        if found is None:
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [b"{}"]
        prefix = found[0] + "%"
        cursor.execute(SQL_COUNT, [prefix])
        count = cursor.fetchone()[0]
        cursor.execute(SQL_PAGE, [prefix])
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    body = json.dumps({"count": count, "results": rows}, default=str, ensure_ascii=False).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


SQL_SUGGESTION_COUNT = "SELECT COUNT(*) FROM suggestions_suggestion WHERE region_code LIKE %s AND status <> 'draft'"
SQL_SUGGESTION_PAGE = (
    "SELECT s.id, s.kind, s.number_label, s.title, s.content, s.category_id, s.congress_id, s.term_id, "
    "s.session_id, s.status, s.lead_id, s.submitted_at, s.accepted_at, s.assigned_on, s.closed_at, s.updated_at "
    "FROM suggestions_suggestion s WHERE s.region_code LIKE %s AND s.status <> 'draft' ORDER BY s.id DESC LIMIT 50"
)


def _bare_drf_suggestions():
    """A bare DRF view: the platform's bearer authentication, then the count and page of 50 in raw SQL."""
    from rest_framework.decorators import api_view, authentication_classes, permission_classes
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.response import Response

    from congress.api.auth import BearerTokenAuthentication

    @api_view(["GET"])
    @authentication_classes([BearerTokenAuthentication])
    @permission_classes([IsAuthenticated])
    def view(request):
        prefix = request.auth.congress.region.code + "%"
        with connection.cursor() as cursor:
            cursor.execute(SQL_SUGGESTION_COUNT, [prefix])
            count = cursor.fetchone()[0]
            cursor.execute(SQL_SUGGESTION_PAGE, [prefix])
            columns = [column.name for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return Response({"count": count, "results": rows})

    return view


# The columns the station row supplies; every other concrete field of CitizenOpinion is a parameter.
FROM_STATION = {"station_id": "s.id", "congress_id": "s.congress_id", "region_code": "s.region_code"}


def _opinion_insert():
    """One INSERT … SELECT over CitizenOpinion's concrete fields, so a column added to the model joins the bare
    view's row too (a NOT NULL one without a default then fails here, loudly, as it would in the real view)."""
    from liaison_stations.models import CitizenOpinion

    fields = [field for field in CitizenOpinion._meta.concrete_fields if not field.primary_key]
    values = [FROM_STATION.get(field.attname, f"%({field.attname})s") for field in fields]
    sql = (
        f"INSERT INTO {CitizenOpinion._meta.db_table} ({', '.join(field.column for field in fields)}) "
        f"SELECT {', '.join(values)} FROM liaison_stations_station s WHERE s.slug = %(slug)s"
    )
    return sql, [field for field in fields if field.attname not in FROM_STATION]


def _bare_opinion(request, slug):
    """A bare Django form view: the same opinion row in one INSERT, then the redirect; no challenge, limits,
    validation, deadline, audit or notification. It does the work no view can avoid: defaults, the encrypted
    phone and the columns derived from it (blind index, tail)."""
    from django.http import HttpResponseRedirect
    from django.utils import timezone

    from congress.crypto import DerivedCharField

    sql, fields = OPINION_INSERT
    now = timezone.now()
    given = {
        "created_at": now, "updated_at": now, "received_at": now, "channel": "station_page",
        "citizen_name": request.POST.get("citizen_name", ""), "phone": request.POST["phone"],
        "category": request.POST["category"], "content": request.POST["content"],
        "submission_key": request.POST.get("submission_key", ""),
    }  # fmt: skip
    params = {"slug": slug}
    for field in fields:
        if isinstance(field, DerivedCharField):
            value = field.derive(given[field.source])
        elif field.attname in given:
            value = given[field.attname]
        else:
            value = field.get_default()
        # The model field's own conversion: crypto.encrypt for the phone, plain strings for choices.
        params[field.attname] = field.get_db_prep_save(value, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return HttpResponseRedirect("/stations/thanks/")


# The columns the lead's mandate supplies; every other concrete field of Suggestion is a parameter.
FROM_MANDATE = {"lead_id": "m.id", "congress_id": "m.congress_id", "term_id": "m.term_id",
                "region_code": "m.region_code"}  # fmt: skip


def _suggestion_insert():
    """One INSERT … SELECT over Suggestion's concrete fields, the lead's mandate supplying congress, term and
    division code (a column added to the model joins the bare view's row too)."""
    from suggestions.models import Suggestion

    fields = [field for field in Suggestion._meta.concrete_fields if not field.primary_key]
    values = [FROM_MANDATE.get(field.attname, f"%({field.attname})s") for field in fields]
    sql = (
        f"INSERT INTO {Suggestion._meta.db_table} ({', '.join(field.column for field in fields)}) "
        f"SELECT {', '.join(values)} FROM deputies_mandate m JOIN deputies_person p ON p.id = m.person_id "
        "WHERE m.id = %(mandate)s AND m.status = 'active' AND p.user_id = %(user)s RETURNING id"
    )
    return sql, [field for field in fields if field.attname not in FROM_MANDATE]


def _bare_suggestion(request):
    """A bare Django form view for a signed-in deputy: the submitted suggestion in one INSERT (only under the
    caller's own active mandate), then the redirect; no form, completeness or motion checks, audit or notice."""
    from django.http import HttpResponseForbidden, HttpResponseRedirect
    from django.utils import timezone

    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    sql, fields = SUGGESTION_INSERT
    now = timezone.now()
    given = {
        "created_at": now, "updated_at": now, "submitted_at": now, "status": "submitted",
        "kind": request.POST["kind"], "title": request.POST["title"], "content": request.POST["content"],
        "category_id": int(request.POST["category"]),
    }  # fmt: skip
    params = {"mandate": int(request.POST["mandate"]), "user": request.user.pk}
    for field in fields:
        value = (
            given[field.attname]
            if field.attname in given
            else (field.get_default() if field.has_default() else None if field.null else "")
        )
        params[field.attname] = field.get_db_prep_save(value, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return HttpResponseForbidden()
    return HttpResponseRedirect(f"/suggestions/{row[0]}/")


# The signed-in deputy's turnout (only under their own active mandate in the programme's congress), the secret
# ballot and its marks: the rows the real ballot page writes, in one statement.
SQL_BALLOT = """
WITH turnout AS (
    INSERT INTO livelihood_turnout (programme_id, mandate_id, channel, voted_at)
    SELECT g.id, m.id, 'phone', now() FROM livelihood_programme g
    JOIN deputies_mandate m ON m.congress_id = g.congress_id AND m.status = 'active'
    JOIN deputies_person p ON p.id = m.person_id AND p.user_id = %(user)s
    WHERE g.id = %(programme)s LIMIT 1 RETURNING programme_id
), ballot AS (
    INSERT INTO livelihood_ballot (id, programme_id, channel) SELECT gen_random_uuid(), programme_id, 'phone'
    FROM turnout RETURNING id
)
INSERT INTO livelihood_ballotmark (id, ballot_id, candidate_id)
SELECT gen_random_uuid(), ballot.id, candidate FROM ballot, unnest(%(candidates)s::integer[]) AS candidate
"""


def _bare_ballot(request):
    """A bare Django form view for a signed-in deputy's ballot: the same rows in one statement, then the redirect;
    no form, window, mandate-status or count checks, and no audit."""
    from django.http import HttpResponseForbidden, HttpResponseRedirect

    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    programme = int(request.POST["programme"])
    params = {"user": request.user.pk, "programme": programme,
              "candidates": sorted({int(pk) for pk in request.POST.getlist("candidates")})}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(SQL_BALLOT, params)
    return HttpResponseRedirect(f"/livelihood/{programme}/ballot/")


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/bench/bare-organisations":
        return bare_organisations(environ, start_response)
    return django_application(environ, start_response)


def _bench_urls():
    """The production URLs plus the bare DRF view, served through Django like any endpoint."""
    from django.conf import settings
    from django.urls import clear_url_caches, path

    import congress.urls

    module = type(congress.urls)("bench_urls")
    module.urlpatterns = [
        path("bench/bare-drf-suggestions", _bare_drf_suggestions()),
        path("bench/bare-opinion/<slug:slug>", _bare_opinion),
        path("bench/bare-suggestion", _bare_suggestion),
        path("bench/bare-ballot", _bare_ballot),
        *congress.urls.urlpatterns,
    ]
    import sys

    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


OPINION_INSERT = _opinion_insert()
SUGGESTION_INSERT = _suggestion_insert()
_bench_urls()
