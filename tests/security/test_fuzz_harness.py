"""The judge of ``make fuzz`` (fuzz/): a wrong verdict there would hide every defect it finds.

No services are needed: these tests feed the harness documents, HAR files and log lines and
check what it concludes from them.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from graphql import DocumentNode, parse, print_ast, validate

from asan.graphql.schema import schema
from fuzz.hooks import HOSTILE_STRINGS, _count_strings, _with_hostile, before_call, internal_errors
from fuzz.probes import ProbeResult
from fuzz.summary import render, summarise

GRAPHQL_SCHEMA = schema._schema

MUTATION = """
mutation {
  createService(input: {code: "X-1", nameAz: "Ad", provider: "DIN", feeExemptions: ["a", "b"]}) {
    userErrors { field }
  }
}
"""


def test_every_string_argument_can_become_a_hostile_variable():
    document = parse(MUTATION)
    count = _count_strings(document)
    assert count == 5
    for position in range(count):
        hostile = position % len(HOSTILE_STRINGS)
        edited = _with_hostile(GRAPHQL_SCHEMA, document, position, hostile)
        assert isinstance(edited, DocumentNode)
        assert validate(GRAPHQL_SCHEMA, edited) == []
        text = print_ast(edited)
        assert f"$fuzzHostile{hostile}" in text
        case = SimpleNamespace(body=text)
        kwargs: dict[str, object] = {}
        before_call(None, case, kwargs)
        sent = kwargs["json"]
        assert isinstance(sent, dict)
        assert sent["variables"] == {f"fuzzHostile{hostile}": HOSTILE_STRINGS[hostile]}
    # the generated document itself is left as it was
    assert print_ast(document) == print_ast(parse(MUTATION))


def test_a_query_without_hostile_variables_is_sent_unchanged():
    kwargs: dict[str, object] = {}
    before_call(None, SimpleNamespace(body="{ apiVersion }"), kwargs)
    assert kwargs == {}


def test_only_errors_the_server_labels_internal_count():
    payload = {
        "data": None,
        "errors": [
            {"message": "no", "path": ["x"], "extensions": {"code": "FORBIDDEN"}},
            {"message": "boom", "path": ["y"], "extensions": {"code": "INTERNAL_SERVER_ERROR"}},
            {"message": "no code"},
        ],
    }
    assert [e["message"] for e in internal_errors(payload)] == ["boom"]
    assert internal_errors({"data": {"apiVersion": "1"}}) == []
    assert internal_errors("not an object") == []


def _entry(query: str, status: int, reply: object, request_id: str | None) -> dict[str, object]:
    headers = [{"name": "x-request-id", "value": request_id}] if request_id else []
    return {
        "request": {"postData": {"text": json.dumps({"query": query})}},
        "response": {
            "status": status,
            "headers": headers,
            "content": {"text": json.dumps(reply) if reply is not None else ""},
        },
    }


def _har(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"log": {"entries": entries}}), encoding="utf-8")
    return path


def test_summary_counts_failures_and_attaches_the_server_traceback(tmp_path: Path):
    internal = {"code": "INTERNAL_SERVER_ERROR"}
    boom = {"errors": [{"message": "list index 3", "extensions": internal}]}
    har = _har(
        tmp_path / "a.har",
        [
            _entry("{ apiVersion }", 200, {"data": {"apiVersion": "1"}}, "r1"),
            _entry('{ service(code: "A") { code } }', 200, boom, "r2"),
            _entry('{ service(code: "LONGER") { code } }', 200, boom, "r3"),
            _entry("mutation { logout(input: {}) { ok } }", 502, None, "r4"),
            _entry("{ services { totalCount } }", 0, None, None),
        ],
    )
    log = tmp_path / "api.log"
    lines = [
        {"msg": "request", "path": "/graphql", "status": 200, "request_id": "r2"},
        {"msg": "boom", "request_id": "r2", "exc": "Traceback\n  File x\nIndexError: list index 3"},
        {"msg": "request", "path": "/graphql", "status": 502, "request_id": "r4"},
    ]
    log.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")

    summary = summarise([har], log)

    assert summary.requests == 5
    assert summary.internal_errors == 2
    assert summary.server_errors == 1
    assert summary.no_response == 1
    assert summary.logged_requests == 2 and summary.logged_5xx == 1
    assert not summary.ok
    failure = next(f for f in summary.failures.values() if f.kind == "INTERNAL_SERVER_ERROR")
    assert failure.count == 2
    assert failure.message == "list index N"  # numbers folded: one failure, not one per value
    assert failure.operations == {"Query.service": 2}
    assert failure.query == '{ service(code: "A") { code } }'  # the shortest reproducer
    assert failure.traceback.endswith("IndexError: list index 3")
    assert "verdict: FAIL" in render(summary)


def test_summary_passes_only_when_requests_were_made_and_all_were_clean(tmp_path: Path):
    clean = _har(tmp_path / "ok.har", [_entry("{ apiVersion }", 200, {"data": {}}, "r1")])
    assert summarise([clean], tmp_path / "missing.log").ok
    assert not summarise([], tmp_path / "missing.log").ok  # nothing sent proves nothing
    bad_probe = ProbeResult("x", 500, 1.0, "HTTP 500", "Internal Server Error")
    assert not summarise([clean], tmp_path / "missing.log", [bad_probe]).ok
