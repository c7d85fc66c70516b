"""The policy registry lists every rule value a congress may change, and the code reads each congress's effective
value: a reading of the source, so a new hard-coded default or a misspelt key fails here."""

import re
from pathlib import Path

from congress import policies
from tests.domain_apps import DOMAIN_APPS

ROOT = Path(__file__).resolve().parents[2]
APPS = [*DOMAIN_APPS, "seeding", "bench"]
# A key named where a policy is read: policy(congress, "key"), per_congress("key", ...), Resolver("key"),
# a clock's policy="key", or a ladder's (n, "key") row.
READ = re.compile(
    r"""(?:policy\([^()]*?,\s*|per_congress\(\s*|Resolver\(\s*|policy=|\(\d+,\s*)["']([a-z_]+\.[a-z0-9_]+)["']"""
)


def sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and path.name != "policies.py":
                yield path, path.read_text(encoding="utf-8")


def test_no_code_reads_a_registry_default_instead_of_the_congress_value():
    # default_for(level) is the default for a level (the console shows it); .default ignores the level and overrides.
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path, text in sources()
        for match in re.finditer(r"REGISTRY\[[^\]]+\]\.default\b", text)
    ]
    assert offenders == []


def test_every_key_the_code_reads_is_registered():
    read = {(path.relative_to(ROOT), key) for path, text in sources() for key in READ.findall(text)}
    assert read, "the reading pattern found nothing: it is out of date"
    unknown = sorted(f"{path}: {key}" for path, key in read if key not in policies.REGISTRY)
    assert unknown == []


def test_every_registered_policy_is_read_somewhere():
    # A policy staff can change that no code reads would be a setting that does nothing.
    text = "\n".join(source for _path, source in sources())
    unread = [key for key in policies.REGISTRY if f'"{key}"' not in text]
    assert unread == []
