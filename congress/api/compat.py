"""What in a new OpenAPI document would break a client written against an old one.

Additions are fine (new paths, operations, optional request fields, response fields, enum values); a client
breaks when something it uses disappears or changes type, or when a request needs a field it does not send."""


def _resolve(schema: dict, components: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    if isinstance(schema, dict) and "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], components)
    return schema or {}


def _compare_response(old, new, old_c, new_c, where, problems, depth=0):
    old, new = _resolve(old, old_c), _resolve(new, new_c)
    if depth > 6 or not old:
        return
    if old.get("type") and new.get("type") and old["type"] != new["type"]:
        problems.append(f"{where}: type {old['type']} became {new['type']}")
        return
    for name, prop in (old.get("properties") or {}).items():
        if name not in (new.get("properties") or {}):
            problems.append(f"{where}.{name}: removed from the response")
        else:
            _compare_response(prop, new["properties"][name], old_c, new_c, f"{where}.{name}", problems, depth + 1)
    if old.get("items"):
        _compare_response(old["items"], new.get("items", {}), old_c, new_c, f"{where}[]", problems, depth + 1)


def _compare_request(old, new, old_c, new_c, where, problems):
    old, new = _resolve(old, old_c), _resolve(new, new_c)
    added = set(new.get("required") or []) - set(old.get("required") or [])
    problems += [f"{where}.{name}: newly required in the request" for name in sorted(added)]
    for name, prop in (old.get("properties") or {}).items():
        if name not in (new.get("properties") or {}):
            problems.append(f"{where}.{name}: no longer accepted in the request")
        else:
            before, after = _resolve(prop, old_c), _resolve(new["properties"][name], new_c)
            if before.get("type") and after.get("type") and before["type"] != after["type"]:
                problems.append(f"{where}.{name}: request type {before['type']} became {after['type']}")
            removed = set(before.get("enum") or []) - set(after.get("enum") or before.get("enum") or [])
            problems += [f"{where}.{name}: value {value!r} no longer accepted" for value in sorted(map(str, removed))]


def breaking_changes(old: dict, new: dict) -> list[str]:
    problems: list[str] = []
    old_c = old.get("components", {}).get("schemas", {})
    new_c = new.get("components", {}).get("schemas", {})
    for path, operations in old.get("paths", {}).items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            where = f"{method.upper()} {path}"
            current = new.get("paths", {}).get(path, {}).get(method)
            if current is None:
                problems.append(f"{where}: removed")
                continue
            old_params = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
            new_params = {(p["in"], p["name"]): p for p in current.get("parameters", [])}
            problems += [
                f"{where}: parameter {name} ({place}) removed" for place, name in sorted(old_params - set(new_params))
            ]
            for key, param in new_params.items():
                if param.get("required") and key not in old_params:
                    problems.append(f"{where}: parameter {key[1]} newly required")
            old_body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            new_body = current.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if old_body and new_body:
                _compare_request(old_body, new_body, old_c, new_c, f"{where} body", problems)
            elif new_body and current.get("requestBody", {}).get("required") and not old_body:
                problems.append(f"{where}: now requires a request body")
            for code, response in operation.get("responses", {}).items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                new_response = current.get("responses", {}).get(code)
                if schema is None:
                    continue
                if new_response is None:
                    problems.append(f"{where}: response {code} removed")
                    continue
                new_schema = new_response.get("content", {}).get("application/json", {}).get("schema", {})
                _compare_response(schema, new_schema, old_c, new_c, f"{where} → {code}", problems)
    return problems
