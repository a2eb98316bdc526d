"""Hostile input on EVERY mutation and every query argument (issue 9, "Bad input").

The fields are enumerated from the schema, so a mutation or filter added later is covered
without touching this file. Each is sent over HTTP, signed in as an administrator (so the
policy lets the input reach the use case and Neo4j), with: control characters, RTL overrides,
Cypher-looking text, unknown ids, very long strings, a 1 MB string, invalid UTF-8 bytes in the
body and values of the wrong type. Every answer must be a ``userErrors`` entry, a GraphQL error
with a code a client can act on (BAD_USER_INPUT naming the field), or a plain 400/413 for a
body that is not a request at all: never INTERNAL_SERVER_ERROR or a 5xx. A refused mutation
must leave the change log and the graph as they were (no half-written change).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
    is_leaf_type,
)

from asan.auth.keys import KeyStore
from asan.auth.service import AuthService
from asan.core import changelog
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.graphql.schema import schema
from tests.auth.support import add_user, asgi_client, bearer, org_fixture
from tests.registry.catalog_support import build_registry

CONTROL = "ad\x01\x07soyad"
RTL = "xidmət\u202eFDP.exe"
CYPHER = "') MATCH (n) DETACH DELETE n //"
UNKNOWN = "NOPE-404"
LONG = "Ə" * 60_000  # long enough for Neo4j's index key limit, under the body limit
MEGABYTE = "a" * (1 << 20)
TEXT_VARIANTS = {"control": CONTROL, "rtl": RTL, "cypher": CYPHER, "unknown": UNKNOWN}
# and "scalars": Cypher-looking text in the custom scalars too (Date, DateTime, Decimal, JSON)

# Codes a client can act on; anything else (INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE on
# a healthy system, a new unnamed code) is a finding.
ACCEPTED_CODES = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "CONFLICT",
    "FORBIDDEN",
    "INVALID_TRANSITION",
    "INVALID_STATE",
    "SHARED_REFERENCE",
    "QUERY_TOO_COMPLEX",
    "UNAUTHENTICATED",
}


# --- building values from the schema --------------------------------------------------------


def _unwrap(t: Any) -> Any:
    return t.of_type if isinstance(t, GraphQLNonNull) else t


# Valid values of the custom scalars, so that hostile text in String and ID fields reaches the
# use cases instead of stopping at the first Date or Decimal (the "scalars" variant sends the
# hostile text into these too).
SCALAR_SAMPLES: dict[str, Any] = {
    "Date": "2026-07-01",
    "DateTime": "2026-07-01T10:00:00+04:00",
    "Decimal": "5.00",
    "JSON": {"a": 1},
}


def value_for(t: GraphQLInputType, text: str, depth: int = 0, *, scalars: bool = False) -> Any:
    """A value of type ``t`` whose every String/ID leaf is ``text`` (optional fields included);
    with ``scalars``, custom scalar leaves get ``text`` too."""
    t = _unwrap(t)
    if isinstance(t, GraphQLList):
        return [value_for(t.of_type, text, depth + 1, scalars=scalars)]
    if isinstance(t, GraphQLInputObjectType):
        if depth > 4:
            return {}
        return {
            name: value_for(f.type, text, depth + 1, scalars=scalars)
            for name, f in t.fields.items()
        }
    if isinstance(t, GraphQLEnumType):
        return next(iter(t.values))
    assert isinstance(t, GraphQLScalarType)
    if t.name == "Int":
        return 1
    if t.name == "Float":
        return 1.5
    if t.name == "Boolean":
        return False
    if t.name in SCALAR_SAMPLES and not scalars:
        return SCALAR_SAMPLES[t.name]
    return text  # String, ID (and custom scalars in the "scalars" variant)


def wrong_value_for(t: GraphQLInputType, depth: int = 0) -> Any:
    """A value of the wrong type at every leaf (a list for text, text for a number, ...)."""
    t = _unwrap(t)
    if isinstance(t, GraphQLList):
        return {"not": "a list"} if depth else [wrong_value_for(t.of_type, depth + 1)]
    if isinstance(t, GraphQLInputObjectType):
        if depth > 4:
            return {}
        return {name: wrong_value_for(f.type, depth + 1) for name, f in t.fields.items()}
    if isinstance(t, GraphQLEnumType):
        return "NOT_A_VALUE"
    assert isinstance(t, GraphQLScalarType)
    if t.name in ("Int", "Float"):
        return "seven"
    if t.name == "Boolean":
        return "yes"
    return {"object": "where text belongs"}


def text_paths(t: GraphQLInputType, path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every text leaf of a value built by ``value_for``."""
    t = _unwrap(t)
    if isinstance(t, GraphQLList):
        yield from text_paths(t.of_type, (*path, 0))
    elif isinstance(t, GraphQLInputObjectType):
        if len(path) <= 8:
            for name, f in t.fields.items():
                yield from text_paths(f.type, (*path, name))
    elif isinstance(t, GraphQLScalarType) and t.name in ("String", "ID"):
        yield path


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[head] = replaced(copy[head], tuple(rest), new)
    return copy


def selection(t: Any) -> str:
    named = get_named_type(t)
    if is_leaf_type(named):
        return ""
    fields = named.fields if isinstance(named, GraphQLObjectType | GraphQLInterfaceType) else {}
    parts = ["__typename"]
    if "userErrors" in fields:
        parts.append("userErrors { field message code }")
    if "totalCount" in fields:
        parts.append("totalCount")
    return "{ " + " ".join(parts) + " }"


@dataclass
class Operation:
    """One root field with a variable for each argument."""

    kind: str  # "mutation" | "query"
    name: str
    field: GraphQLField

    @property
    def args(self) -> dict[str, GraphQLArgument]:
        return dict(self.field.args)

    def document(self) -> str:
        defs = ", ".join(f"${a}: {arg.type}" for a, arg in self.args.items())
        call = ", ".join(f"{a}: ${a}" for a in self.args)
        head = f"{self.kind}({defs})" if defs else self.kind
        args = f"({call})" if call else ""
        return f"{head} {{ {self.name}{args} {selection(self.field.type)} }}"

    def variables(self, text: str, *, scalars: bool = False) -> dict[str, Any]:
        return {a: _default(arg, text, scalars) for a, arg in self.args.items()}


def _default(arg: GraphQLArgument | GraphQLInputField, text: str, scalars: bool) -> Any:
    named = get_named_type(arg.type)
    if isinstance(named, GraphQLScalarType) and named.name == "Int":
        return 5  # first: / last: and other counts: a small valid page
    return value_for(arg.type, text, scalars=scalars)


def operations() -> list[Operation]:
    raw = schema._schema
    found: list[Operation] = []
    for kind, root in (("mutation", raw.mutation_type), ("query", raw.query_type)):
        assert root is not None
        for name, f in sorted(root.fields.items()):
            if kind == "query" and not f.args:
                continue  # nothing to be hostile with
            found.append(Operation(kind, name, f))
    return found


OPERATIONS = operations()
MUTATIONS = [op for op in OPERATIONS if op.kind == "mutation"]


# --- the client, the data and the checks ----------------------------------------------------


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, problem: str, body: Any = None) -> None:
        shown = json.dumps(body, ensure_ascii=True)[:400] if body is not None else ""
        self.problems.append(f"{where}: {problem} {shown}")


@pytest.fixture
async def admin_client(
    clean_platform: Platform, settings: Settings, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    # many requests from one identity: the per-identity rate limit is not what is tested here
    limits = {"rate_limit_per_minute": 100_000, "rate_limit_anonymous_per_minute": 100_000}
    own = settings.model_copy(update={"data_dir": tmp_path, **limits})
    auth = AuthService(own, KeyStore.open(own.data_path, own.auth_algorithm))
    await build_registry(clean_platform)
    await org_fixture(clean_platform)
    admin = await add_user(clean_platform, "hostile.admin", {"administrator"})
    async with asgi_client(own, clean_platform, auth) as client:
        client.headers.update(bearer(auth.access_token(admin, "user")[0]))
        yield client


async def snapshot(p: Platform) -> tuple[int, int, int]:
    """Change-log head, nodes and relationships outside the audit trail and sign-in counters."""
    rows = await p.db.read(
        """
        CALL () { MATCH (n) WHERE NOT (n:AuditEvent OR n:AuditHead OR n:LoginThrottle
                                       OR n:RevokedSession)
                  RETURN count(n) AS nodes }
        CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
        RETURN nodes, rels
        """
    )
    return await changelog.head_seq(p.db), int(rows[0]["nodes"]), int(rows[0]["rels"])


def check_answer(findings: Findings, where: str, status: int, body: Any) -> bool:
    """Records what is wrong with one answer; True when the request was refused."""
    if status >= 500:
        findings.add(where, f"HTTP {status}", body)
        return True
    if status in (400, 413):
        if not isinstance(body, dict) or not body.get("errors"):
            findings.add(where, f"HTTP {status} without a JSON error", body)
        return True
    if status != 200:
        findings.add(where, f"HTTP {status}", body)
        return True
    refused = False
    for error in body.get("errors") or ():
        refused = True
        ext = error.get("extensions") or {}
        code = ext.get("code")
        if code not in ACCEPTED_CODES:
            findings.add(where, f"error code {code}", error)
        elif code == "BAD_USER_INPUT" and not ext.get("field"):
            findings.add(where, "BAD_USER_INPUT naming no field", error)
    for payload in (body.get("data") or {}).values():
        if not isinstance(payload, dict):
            continue  # a list or a scalar root field: no payload
        for user_error in payload.get("userErrors") or ():
            refused = True
            if user_error.get("code") not in ACCEPTED_CODES:
                findings.add(where, f"userError code {user_error.get('code')}", user_error)
    return refused


async def send(
    client: httpx.AsyncClient, op: Operation, variables: dict[str, Any]
) -> tuple[int, Any]:
    response = await client.post("/graphql", json={"query": op.document(), "variables": variables})
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, response.text[:200]


async def test_the_schema_is_enumerated() -> None:
    """The sweep below sees every mutation and the list filters (it cannot silently shrink)."""
    names = {op.name for op in MUTATIONS}
    assert names == set(schema._schema.mutation_type.fields)  # type: ignore[union-attr]
    queries = {op.name for op in OPERATIONS if op.kind == "query"}
    assert {"services", "service", "stateBodies"} <= queries


@pytest.mark.parametrize("caller", ["administrator", "anonymous"])
async def test_hostile_text_on_every_mutation_and_argument(
    clean_platform: Platform, admin_client: httpx.AsyncClient, caller: str
) -> None:
    if caller == "anonymous":
        del admin_client.headers["Authorization"]
    findings = Findings()
    for op in OPERATIONS:
        for variant, text in [*TEXT_VARIANTS.items(), ("scalars", CYPHER)]:
            variables = op.variables(text, scalars=variant == "scalars")
            before = await snapshot(clean_platform)
            status, body = await send(admin_client, op, variables)
            refused = check_answer(findings, f"{op.name} [{variant}]", status, body)
            if op.kind == "mutation" and refused and await snapshot(clean_platform) != before:
                findings.add(f"{op.name} [{variant}]", "refused, yet the graph changed", body)
    assert findings.problems == [], "\n".join(findings.problems)


async def test_long_strings_in_each_text_field(
    clean_platform: Platform, admin_client: httpx.AsyncClient
) -> None:
    """One field at a time (all at once would pass the body limit): each of 60,000 letters."""
    findings = Findings()
    for op in OPERATIONS:
        base = op.variables(UNKNOWN)
        for arg, spec in op.args.items():
            for path in text_paths(spec.type):
                variables = {**base, arg: replaced(base[arg], path, LONG)}
                before = await snapshot(clean_platform)
                status, body = await send(admin_client, op, variables)
                where = f"{op.name} [long {arg}{''.join(f'.{p}' for p in path)}]"
                refused = check_answer(findings, where, status, body)
                if op.kind == "mutation" and refused and await snapshot(clean_platform) != before:
                    findings.add(where, "refused, yet the graph changed", body)
    assert findings.problems == [], "\n".join(findings.problems)


async def test_wrong_types_name_the_field(admin_client: httpx.AsyncClient) -> None:
    findings = Findings()
    for op in OPERATIONS:
        variables = {a: wrong_value_for(arg.type) for a, arg in op.args.items()}
        status, body = await send(admin_client, op, variables)
        check_answer(findings, f"{op.name} [wrong types]", status, body)
        codes = {e.get("extensions", {}).get("code") for e in body.get("errors") or ()}
        if codes != {"BAD_USER_INPUT"}:
            findings.add(op.name, f"wrong types answered {codes}", body)
    assert findings.problems == [], "\n".join(findings.problems)


async def test_a_megabyte_string_and_invalid_utf8_are_refused_before_parsing(
    clean_platform: Platform, admin_client: httpx.AsyncClient
) -> None:
    findings = Findings()
    before = await snapshot(clean_platform)
    for op in MUTATIONS:
        status, body = await send(admin_client, op, op.variables(MEGABYTE))
        if status != 413:
            findings.add(f"{op.name} [1 MB]", f"HTTP {status} (want 413)", body)
        check_answer(findings, f"{op.name} [1 MB]", status, body)
        raw = json.dumps({"query": op.document(), "variables": op.variables("@@")}).encode()
        raw = raw.replace(b"@@", b"ad\xff\xfe\xc3(soyad", 1)
        response = await admin_client.post(
            "/graphql", content=raw, headers={"Content-Type": "application/json"}
        )
        if response.status_code != 400 or "UTF-8" not in response.text:
            findings.add(f"{op.name} [invalid UTF-8]", f"HTTP {response.status_code}")
    assert await snapshot(clean_platform) == before
    assert findings.problems == [], "\n".join(findings.problems)
