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


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/bench/bare-organisations":
        return bare_organisations(environ, start_response)
    return django_application(environ, start_response)
