"""The demo and scale generators stay at the edge: the seeding app imports the domain apps, and none of them
imports it, so a deployment never loads generator code through a domain module."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ["congress", "deputies", "liaison_stations", "suggestions", "training", "activities", "cases"]


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_domain_app_imports_the_seeding_app():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for app in DOMAIN_APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        for name in _imported_modules(path)
        if name == "seeding" or name.startswith("seeding.")
    ]
    assert offenders == []
