"""Hand-written hostile requests that schemathesis' GraphQL mode never sends.

Schemathesis only sends well-formed JSON bodies holding one query without variables. The
outside test that opened issue 7 also sent bodies that are not JSON objects, nesting bombs,
fragment bombs, odd content types and odd tokens; each is replayed here once, and judged like
the generated requests: no 5xx, no INTERNAL_SERVER_ERROR, an answer within the timeout.
"""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass

from fuzz.hooks import internal_errors

GRAPHQL_JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


@dataclass
class Probe:
    name: str
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] | None = None


@dataclass
class ProbeResult:
    name: str
    status: int
    ms: float
    problem: str | None
    reply: str


def _fragment_bomb(levels: int) -> bytes:
    fragments = ["fragment F0 on Query { apiVersion }"] + [
        f"fragment F{k} on Query {{ ...F{k - 1} ...F{k - 1} }}" for k in range(1, levels + 1)
    ]
    return json.dumps({"query": f"query {{ ...F{levels} }} " + " ".join(fragments)}).encode()


def _nested_lists(levels: int) -> bytes:
    """``stateBody.services.provider.services...``: the shape that froze the server."""
    inner = "code"
    for _ in range(levels):
        inner = f"services {{ provider {{ {inner} }} }}"
    return json.dumps({"query": f'{{ stateBody(code: "DIN") {{ {inner} }} }}'}).encode()


def _deep_json(depth: int) -> bytes:
    nested = '{"a":' * depth + "1" + "}" * depth
    return ('{"query":"{ apiVersion }","variables":' + nested + "}").encode()


def probes() -> list[Probe]:
    token = "/oauth/token"  # noqa: S105 - a path, not a secret
    return [
        Probe("non-UTF-8 body", "POST", "/graphql", b"\xff\xfe{\x00", GRAPHQL_JSON),
        Probe("JSON string body", "POST", "/graphql", b'"{ apiVersion }"', GRAPHQL_JSON),
        Probe("JSON array body", "POST", "/graphql", b'[{"query":"{ apiVersion }"}]', GRAPHQL_JSON),
        Probe("JSON null body", "POST", "/graphql", b"null", GRAPHQL_JSON),
        Probe("empty body", "POST", "/graphql", b"", GRAPHQL_JSON),
        Probe("query is a number", "POST", "/graphql", b'{"query": 1}', GRAPHQL_JSON),
        Probe(
            "variables is a string",
            "POST",
            "/graphql",
            b'{"query":"{ apiVersion }","variables":"x"}',
            GRAPHQL_JSON,
        ),
        Probe(
            "operationName is a number",
            "POST",
            "/graphql",
            b'{"query":"{ apiVersion }","operationName":5}',
            GRAPHQL_JSON,
        ),
        Probe(
            "array nested 40,000 deep",
            "POST",
            "/graphql",
            b"[" * 40000 + b"]" * 40000,
            GRAPHQL_JSON,
        ),
        Probe("variables nested 40,000 deep", "POST", "/graphql", _deep_json(40000), GRAPHQL_JSON),
        Probe(
            "surrogate in variables",
            "POST",
            "/graphql",
            b'{"query":"query($c:String!){ service(code:$c){ code } }",'
            b'"variables":{"c":"\\ud800"}}',
            GRAPHQL_JSON,
        ),
        Probe(
            "text/plain body", "POST", "/graphql", b"{ apiVersion }", {"content-type": "text/plain"}
        ),
        Probe("GET query", "GET", "/graphql?query=%7BapiVersion%7D"),
        Probe("GET mutation", "GET", "/graphql?query=mutation%7Blogout(input%3A%7B%7D)%7Bok%7D%7D"),
        Probe("fragment bomb, 30 levels", "POST", "/graphql", _fragment_bomb(30), GRAPHQL_JSON),
        Probe("nested lists, 4 levels", "POST", "/graphql", _nested_lists(4), GRAPHQL_JSON),
        Probe("nested lists, 6 levels", "POST", "/graphql", _nested_lists(6), GRAPHQL_JSON),
        Probe(
            "empty global id",
            "POST",
            "/graphql",
            b'{"query":"{ node(id: \\"\\") { id } }"}',
            GRAPHQL_JSON,
        ),
        Probe(
            "garbage bearer token",
            "POST",
            "/graphql",
            b'{"query":"{ apiVersion }"}',
            {**GRAPHQL_JSON, "authorization": "Bearer e30.e30.AAAA"},
        ),
        Probe(
            "odd request id",
            "POST",
            "/graphql",
            b'{"query":"{ apiVersion }"}',
            {**GRAPHQL_JSON, "x-request-id": "x" * 5000},
        ),
        Probe("token: non-UTF-8 form", "POST", token, b"grant_type=\xff\xfe", FORM),
        Probe("token: JSON string", "POST", token, b'"password"', GRAPHQL_JSON),
        Probe(
            "token: surrogate username",
            "POST",
            token,
            b'{"grant_type":"password","username":"\\ud800","password":"x"}',
            GRAPHQL_JSON,
        ),
        Probe(
            "token: 15,000-byte username",
            "POST",
            token,
            b"grant_type=password&password=x&username=" + b"a" * 15000,
            FORM,
        ),
        Probe("token: unknown grant", "POST", token, b"grant_type=%00", FORM),
        Probe(
            "token: refresh garbage",
            "POST",
            token,
            b"grant_type=refresh_token&refresh_token=x",
            FORM,
        ),
        Probe("readyz", "GET", "/readyz"),
        Probe("jwks", "GET", "/.well-known/jwks.json"),
    ]


def _send(port: int, probe: Probe, timeout: float) -> ProbeResult:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request(probe.method, probe.path, body=probe.body, headers=probe.headers or {})
        reply = connection.getresponse()
        text = reply.read().decode("utf-8", "replace")
        status = reply.status
    except (OSError, http.client.HTTPException) as exc:
        ms = (time.perf_counter() - started) * 1000
        return ProbeResult(probe.name, 0, ms, f"no response: {exc!r}", "")
    finally:
        connection.close()
    ms = (time.perf_counter() - started) * 1000
    problem = None
    if status >= 500:
        problem = f"HTTP {status}"
    else:
        try:
            if internal_errors(json.loads(text)):
                problem = "INTERNAL_SERVER_ERROR"
        except ValueError:
            pass
    return ProbeResult(probe.name, status, ms, problem, text[:300])


def run_probes(port: int, timeout: float = 30.0) -> list[ProbeResult]:
    return [_send(port, probe, timeout) for probe in probes()]
