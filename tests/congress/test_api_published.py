"""The published OpenAPI document (docs/api/openapi-v1.json) is what integration teams code against: the live
schema may only add to it, and the copy in the repository is kept current."""

import json
from pathlib import Path

from drf_spectacular.generators import SchemaGenerator

from congress.api.compat import breaking_changes

PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi-v1.json"


def live_schema() -> dict:
    # The same serialisation as scripts/api_schema.py, so that the two compare as text.
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, ensure_ascii=False, sort_keys=True, default=str))


def test_live_api_breaks_nothing_in_the_published_document():
    problems = breaking_changes(json.loads(PUBLISHED.read_text()), live_schema())
    assert problems == [], "Breaking API changes; keep the old shape or publish a new version:\n" + "\n".join(problems)


def test_published_document_is_current():
    assert json.loads(PUBLISHED.read_text()) == live_schema(), "The API changed compatibly: run `make schema`."
