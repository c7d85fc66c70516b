"""Stop `make test` with one clear line when Postgres is unreachable, and create the database if missing."""

import os
import sys
from urllib.parse import urlsplit

import psycopg

url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/congress")
parts = urlsplit(url)
if parts.scheme not in ("postgres", "postgresql", "pgsql"):
    sys.exit(f"make test needs Postgres: DATABASE_URL is {parts.scheme}://…, set it to postgres://user@host:5432/name")
admin_url = parts._replace(scheme="postgresql", path="/postgres").geturl()
name = parts.path.lstrip("/") or "congress"
try:
    with psycopg.connect(admin_url, connect_timeout=5, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
except psycopg.OperationalError as exc:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    host = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    sys.exit(
        f"Postgres at {host} is unreachable ({reason}). Start it (e.g. `pg_ctlcluster 15 main start` "
        f"or `docker compose up -d postgres`) or set DATABASE_URL."
    )
