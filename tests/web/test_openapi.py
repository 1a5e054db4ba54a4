"""The OpenAPI document describes every route the API serves, with its request body and responses."""

import re


def _served(app):
    """(method, path with {} for each parameter) of every /api/v1 route."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.endswith("openapi_json"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?[^>]+>", "{}", rule.rule.removeprefix("/api/v1"))
        routes |= {(method.lower(), path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_route_is_documented_and_nothing_else(app, client):
    doc = client.get("/api/v1/openapi.json").json
    documented = {(method, re.sub(r"\{[^}]+\}", "{}", path)) for path, ops in doc["paths"].items() for method in ops}
    assert documented == _served(app)


def test_every_body_taking_route_describes_its_body_and_creations_answer_201(client):
    doc = client.get("/api/v1/openapi.json").json
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            success = [code for code in op["responses"] if code.startswith("2")]
            assert success, (method, path)
            assert all("content" in op["responses"][code] for code in success), (method, path)
            if method in ("put",) or (path in ("/cases", "/notices", "/processes", "/tasks/assign") and method == "post"):
                assert "requestBody" in op, (method, path)
    assert "201" in doc["paths"]["/cases"]["post"]["responses"]
    assert "201" in doc["paths"]["/notices"]["post"]["responses"]
    assert "multipart/form-data" in doc["paths"]["/processes"]["post"]["requestBody"]["content"]
    assert "requestBody" in doc["paths"]["/tasks/{id}/complete"]["post"]
    hold = doc["paths"]["/cases/{number}/hold"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert hold == {"$ref": "#/components/schemas/HoldIn"}
