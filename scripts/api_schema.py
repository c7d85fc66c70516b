"""Write the published API schema (docs/api/openapi-v1.json), the copy the compatibility test compares against.

Run after a deliberate, compatible API change: `make schema`."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

import django  # noqa: E402

django.setup()

from drf_spectacular.generators import SchemaGenerator  # noqa: E402

schema = SchemaGenerator().get_schema(request=None, public=True)
target = ROOT / "docs" / "api" / "openapi-v1.json"
target.parent.mkdir(parents=True, exist_ok=True)
target.write_text(json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n")
print(f"written {target.relative_to(ROOT)}: {len(schema['paths'])} paths")
