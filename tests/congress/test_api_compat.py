"""The compatibility check that guards the published API: what breaks a client, and what does not."""

import copy

from congress.api.compat import breaking_changes


def body(name):
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


OLD = {
    "paths": {
        "/api/v1/things/": {
            "get": {
                "parameters": [{"in": "query", "name": "updated_since"}],
                "responses": {"200": body("Thing")},
            },
            "post": {
                "requestBody": body("ThingIn"),
                "responses": {"201": body("Thing")},
            },
        }
    },
    "components": {
        "schemas": {
            "Thing": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            "ThingIn": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "kind": {"enum": ["a", "b"]}},
            },
        }
    },
}  # fmt: skip


def changed(edit):
    new = copy.deepcopy(OLD)
    edit(new)
    return breaking_changes(OLD, new)


def test_identical_documents_are_compatible():
    assert breaking_changes(OLD, OLD) == []


def test_additions_are_compatible():
    def add(new):
        new["paths"]["/api/v1/more/"] = {"get": {"responses": {}}}
        new["components"]["schemas"]["Thing"]["properties"]["extra"] = {"type": "string"}
        new["components"]["schemas"]["ThingIn"]["properties"]["kind"]["enum"].append("c")

    assert changed(add) == []


def test_removed_operation_breaks():
    assert changed(lambda new: new["paths"]["/api/v1/things/"].pop("post")) == ["POST /api/v1/things/: removed"]


def test_removed_response_field_breaks():
    problems = changed(lambda new: new["components"]["schemas"]["Thing"]["properties"].pop("name"))
    assert "GET /api/v1/things/ → 200.name: removed from the response" in problems


def test_changed_response_type_breaks():
    problems = changed(lambda new: new["components"]["schemas"]["Thing"]["properties"]["id"].update(type="string"))
    assert "GET /api/v1/things/ → 200.id: type integer became string" in problems


def test_newly_required_request_field_breaks():
    problems = changed(lambda new: new["components"]["schemas"]["ThingIn"]["required"].append("kind"))
    assert problems == ["POST /api/v1/things/ body.kind: newly required in the request"]


def test_removed_enum_value_breaks():
    problems = changed(lambda new: new["components"]["schemas"]["ThingIn"]["properties"]["kind"].update(enum=["a"]))
    assert problems == ["POST /api/v1/things/ body.kind: value 'b' no longer accepted"]


def test_removed_parameter_breaks():
    problems = changed(lambda new: new["paths"]["/api/v1/things/"]["get"].update(parameters=[]))
    assert problems == ["GET /api/v1/things/: parameter updated_since (query) removed"]
