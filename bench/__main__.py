"""`make bench`: run the benchmark cases on a separate `<name>_bench` Postgres database and write
bench/results.json plus a readable table. BENCH_SCALE=full uses the sizes the issues name."""

import base64
import hashlib
import os
import sys
import time
from urllib.parse import urlsplit

import psycopg

url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/congress")
parts = urlsplit(url)
bench_name = (parts.path.lstrip("/") or "congress") + "_bench"
with psycopg.connect(parts._replace(scheme="postgresql", path="/postgres").geturl(), autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_name]).fetchone():
        conn.execute(f'CREATE DATABASE "{bench_name}"')
os.environ["DATABASE_URL"] = parts._replace(path="/" + bench_name).geturl()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
# Production settings, as deployed (query logging off); plain HTTP on the in-process client.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
# Production settings demand the personal-data keys; the bench derives them as DEBUG would from its secret.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    base64.urlsafe_b64encode(hashlib.sha256(b"fields:" + os.environ["SECRET_KEY"].encode()).digest()).decode(),
)
os.environ.setdefault("FIELD_HASH_KEY", hashlib.sha256(b"field-hash:" + os.environ["SECRET_KEY"].encode()).hexdigest())
os.environ["SECURE_SSL_REDIRECT"] = "0"
# Deliveries run inline into a local outbox: the bench must not fill the dev broker or send mail. No SMS backend:
# with DEBUG off the development ones are refused, and no bench case sends a text.
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ["SMS_BACKEND"] = ""

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench import harness  # noqa: E402
from bench.registry import all_cases  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver", "localhost"]
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)  # production static storage needs its manifest
results = []
# `python -m bench roster_import` runs only the named cases (results.json then holds only those).
wanted = set(sys.argv[1:])
for case in [case for case in all_cases() if not wanted or case.__name__ in wanted]:
    print(f"running {case.__name__} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    outcome = case()
    print(f"  {case.__name__} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    for result in outcome if isinstance(outcome, list) else [outcome]:
        result.case = case.__name__
        results.append(result)
harness.write(results)
print(harness.table(results))
print(f"\nwritten to {harness.RESULTS}")
