"""The OpenAPI document a tenant's developer reads: every operation, its problems, examples."""

from __future__ import annotations


def test_every_api_operation_is_documented_with_problems_and_examples(stack) -> None:
    doc = stack.http.get("/schema/openapi.json").json()
    operations = [
        (path, method, op)
        for path, item in doc["paths"].items()
        if path.startswith("/v1/")
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert {(p, m) for p, m, _ in operations} >= {
        ("/v1/sessions", "post"),
        ("/v1/sessions", "get"),
        ("/v1/sessions/{session_id}", "get"),
        ("/v1/sessions/{session_id}", "delete"),
        ("/v1/widget/sessions", "post"),
        ("/v1/widget/sessions/{session_id}/heartbeat", "post"),
        ("/v1/widget/sessions/{session_id}/end", "post"),
    }
    for path, method, op in operations:
        assert op.get("summary"), (path, method)
        problems = {code: r for code, r in op["responses"].items() if code.startswith(("4", "5"))}
        assert problems, f"{method.upper()} {path} documents no problem responses"
        for code, response in problems.items():
            content = response["content"]["application/problem+json"]
            assert all(ex["value"]["type"].startswith("/problems/") for ex in content["examples"].values()), (
                path,
                code,
            )
    schemas = doc["components"]["schemas"]
    for name in ("CreateSession", "SessionStarted", "SessionOut", "HeartbeatAnswer"):
        props = schemas[name]["properties"]
        assert all("examples" in p or "$ref" in p for p in props.values()), f"{name} has fields without an example"


def test_problem_types_resolve_to_a_page(stack) -> None:
    page = stack.http.get("/problems/upstream-timeout")
    assert page.status_code == 200 and "did not answer in time" in page.text
    assert stack.http.get("/problems/no-such-thing").status_code == 404
