"""Count what a schemathesis run provoked, from its HAR files and the API's own log.

The verdict is computed here rather than taken from schemathesis' exit code: schemathesis also
fails on things this API does on purpose (FORBIDDEN with a path, refused negative inputs), while
the question asked is narrower: did any request end in a 5xx, an INTERNAL_SERVER_ERROR or no
answer at all. Each distinct failure is kept with its shortest query and the server traceback
found under the same request id, so it can be routed to whoever owns the code.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse

from fuzz.hooks import internal_errors
from fuzz.probes import ProbeResult

TRACEBACK_LINES = 30
_QUOTED = re.compile(r"\"[^\"]*\"|(?<![A-Za-z])'[^']*'")
_NUMBERS = re.compile(r"\d+")


@dataclass
class Failure:
    """One distinct failure (a kind and a message shape) and the operations it shows in."""

    kind: str
    message: str
    count: int = 0
    operations: Counter[str] = field(default_factory=Counter)
    query: str = ""
    variables: Any = None
    request_ids: list[str] = field(default_factory=list)
    traceback: str = ""

    def add(self, operation: str, query: str, variables: Any, request_id: str | None) -> None:
        self.count += 1
        self.operations[operation] += 1
        if not self.query or len(query) < len(self.query):
            self.query, self.variables = query, variables
        if request_id and len(self.request_ids) < 5:
            self.request_ids.append(request_id)


@dataclass
class Summary:
    requests: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    internal_errors: int = 0
    server_errors: int = 0
    no_response: int = 0
    operations: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, str], Failure] = field(default_factory=dict)
    logged_requests: int = 0
    logged_5xx: int = 0
    logged_exceptions: Counter[str] = field(default_factory=Counter)
    probes: list[ProbeResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.requests > 0
            and self.internal_errors == 0
            and self.server_errors == 0
            and self.no_response == 0
            and self.logged_5xx == 0
            and not any(probe.problem for probe in self.probes)
        )

    def failure(self, kind: str, message: str) -> Failure:
        """Messages differing only in quoted values or numbers are one failure."""
        shape = _NUMBERS.sub("N", _QUOTED.sub("…", message))[:200]
        key = (kind, shape)
        if key not in self.failures:
            self.failures[key] = Failure(kind, shape)
        return self.failures[key]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "requests": self.requests,
            "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
            "internal_server_error_responses": self.internal_errors,
            "http_5xx_responses": self.server_errors,
            "no_response": self.no_response,
            "operations_exercised": len(self.operations),
            "server_log": {
                "requests": self.logged_requests,
                "http_5xx": self.logged_5xx,
                "exceptions": dict(self.logged_exceptions.most_common()),
            },
            "failures": [vars(f) for f in self.failures.values()],
            "probes": [vars(p) for p in self.probes],
        }


def operation_of(query: str) -> str:
    """``Query.services`` / ``Mutation.login``: the first root field of the first operation."""
    try:
        document = parse(query)
    except GraphQLError:
        return "<unparsable>"
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            root = definition.operation.value.capitalize()
            for selection in definition.selection_set.selections:
                name = getattr(selection, "name", None)
                if name is not None:
                    return f"{root}.{name.value}"
            return root
    return "<no operation>"


def _header(headers: list[dict[str, str]], name: str) -> str | None:
    for header in headers:
        if header.get("name", "").lower() == name:
            return header.get("value")
    return None


def _request(entry: dict[str, Any]) -> tuple[str, Any]:
    text = (entry.get("request", {}).get("postData") or {}).get("text") or ""
    try:
        body = json.loads(text)
    except ValueError:
        return text, None
    if isinstance(body, dict):
        return str(body.get("query") or ""), body.get("variables")
    return text, None


def add_har(summary: Summary, path: Path) -> None:
    """Every interaction schemathesis recorded, shrinking and replays included."""
    entries = json.loads(path.read_text(encoding="utf-8")).get("log", {}).get("entries", [])
    for entry in entries:
        summary.requests += 1
        query, variables = _request(entry)
        operation = operation_of(query)
        summary.operations[operation] += 1
        response = entry.get("response", {})
        status = int(response.get("status") or 0)
        summary.by_status[status] += 1
        request_id = _header(response.get("headers", []), "x-request-id")
        if status == 0:
            summary.no_response += 1
            summary.failure("no response", "timeout or connection error").add(
                operation, query, variables, None
            )
            continue
        text = (response.get("content") or {}).get("text") or ""
        if status >= 500:
            summary.server_errors += 1
            summary.failure(f"HTTP {status}", text[:200]).add(
                operation, query, variables, request_id
            )
        try:
            payload = json.loads(text)
        except ValueError:
            continue
        found = internal_errors(payload)
        if found:
            summary.internal_errors += 1
            for error in found:
                message = str(error.get("message"))
                summary.failure("INTERNAL_SERVER_ERROR", message).add(
                    operation, query, variables, request_id
                )


def _exception_key(exc: str) -> str:
    lines = [line for line in exc.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "?"


def add_server_log(summary: Summary, path: Path) -> None:
    """Access lines give the server's own count; exceptions are matched by request id."""
    tracebacks: dict[str, str] = {}
    if not path.exists():
        return
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict):
                continue
            if record.get("msg") == "request" and record.get("path") == "/graphql":
                summary.logged_requests += 1
                if int(record.get("status") or 0) >= 500:
                    summary.logged_5xx += 1
            exc = record.get("exc")
            if isinstance(exc, str):
                summary.logged_exceptions[_exception_key(exc)] += 1
                request_id = record.get("request_id")
                if isinstance(request_id, str) and request_id not in tracebacks:
                    tracebacks[request_id] = exc
    for failure in summary.failures.values():
        for request_id in failure.request_ids:
            if request_id in tracebacks:
                tail = tracebacks[request_id].strip().splitlines()[-TRACEBACK_LINES:]
                failure.traceback = "\n".join(tail)
                break


def render(summary: Summary) -> str:
    """The human part of the report: figures first, then one block per distinct failure."""
    out = [
        f"requests sent:                 {summary.requests} ({len(summary.operations)} operations)",
        f"by HTTP status:                {dict(sorted(summary.by_status.items()))}",
        f"INTERNAL_SERVER_ERROR replies: {summary.internal_errors}",
        f"HTTP 5xx replies:              {summary.server_errors}",
        f"no response (timeout/refused): {summary.no_response}",
        f"server log: {summary.logged_requests} /graphql requests, {summary.logged_5xx} 5xx, "
        f"{sum(summary.logged_exceptions.values())} logged exceptions",
    ]
    for key, count in summary.logged_exceptions.most_common(10):
        out.append(f"  {count:5d} x {key}")
    if summary.probes:
        out += ["", "hand-written probes (status, ms):"]
        for probe in summary.probes:
            verdict = f"  <-- {probe.problem}: {probe.reply[:150]}" if probe.problem else ""
            out.append(f"  {probe.status:3d} {probe.ms:9.1f}  {probe.name}{verdict}")
    for failure in summary.failures.values():
        out += [
            "",
            f"--- {failure.kind} ({failure.count}x): {failure.message}",
            "in: " + ", ".join(f"{op} ({n})" for op, n in failure.operations.most_common()),
            f"query: {failure.query[:1000]}",
        ]
        if failure.variables:
            out.append(f"variables: {json.dumps(failure.variables, ensure_ascii=True)[:500]}")
        if failure.request_ids:
            out.append(f"request ids: {', '.join(failure.request_ids)}")
        if failure.traceback:
            out.append("server traceback (tail):")
            out += ["  " + line for line in failure.traceback.splitlines()]
    out += ["", "verdict: " + ("PASS" if summary.ok else "FAIL")]
    return "\n".join(out)


def summarise(
    har_files: list[Path], server_log: Path, probes: list[ProbeResult] | None = None
) -> Summary:
    summary = Summary(probes=probes or [])
    for path in har_files:
        if path.exists():
            add_har(summary, path)
    add_server_log(summary, server_log)
    return summary
