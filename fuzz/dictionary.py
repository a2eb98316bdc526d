"""A schemathesis configuration whose fuzz dictionaries hold codes and ids that exist.

Random strings for ``code``, ``stateBodyCode`` or ``node(id:)`` almost always end in NOT_FOUND,
so the resolvers behind them (updates, transitions, exports, impact) would never run. Half of
the drawn values are replaced by real ones read from the seeded API before the run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

# dictionary name -> the public connection it is read from
SOURCES = {
    "bodies": "stateBodies",
    "services": "services",
    "systems": "informationSystems",
    "centres": "asanCentres",
    "units": "orgUnits",
}

# binding key (``<Type>.<field>.<argument path>``, ``*`` for any) -> dictionary name
BINDINGS = {
    "Query.*.code": "codes",
    "Query.node.id": "ids",
    "*.*.stateBodyCode": "bodies",
    "*.*.stateBody": "bodies",
    "*.*.stateBodies[*]": "bodies",
    "Query.stateBodies.parent": "bodies",
    "Query.informationSystems.operator": "bodies",
    "Query.orgUnits.parentCode": "units",
    "Query.informationSystemImpact.code": "systems",
    "Mutation.*.input.code": "codes",
    "Mutation.*.input.stateBodyCode": "bodies",
    "Mutation.*.input.serviceCode": "services",
    "Mutation.*.input.provider": "bodies",
    "Mutation.linkInformationSystems.input.links[*].consumer": "systems",
    "Mutation.linkInformationSystems.input.links[*].provider": "systems",
}
PROBABILITY = 0.5


def _post(base: str, query: str) -> dict[str, Any]:
    request = Request(  # noqa: S310 - loopback URL built by the caller
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urlopen(request, timeout=30) as reply:  # noqa: S310 - loopback URL
        payload = json.loads(reply.read())
    return payload if isinstance(payload, dict) else {}


def collect(base: str) -> dict[str, list[str]]:
    """Codes per kind, plus every global id seen; a source that fails is left out."""
    values: dict[str, list[str]] = {"ids": [], "codes": []}
    for name, field in SOURCES.items():
        payload = _post(base, f"{{ {field}(first: 100) {{ edges {{ node {{ id code }} }} }} }}")
        edges = ((payload.get("data") or {}).get(field) or {}).get("edges") or []
        nodes = [edge["node"] for edge in edges if isinstance(edge, dict) and edge.get("node")]
        values[name] = [str(node["code"]) for node in nodes if node.get("code")]
        values["codes"] += values[name]
        values["ids"] += [str(node["id"]) for node in nodes if node.get("id")]
    return {name: entries for name, entries in values.items() if entries}


def _toml_list(entries: list[str]) -> str:
    # JSON strings are valid TOML basic strings for this ASCII-safe encoding.
    return "[" + ", ".join(json.dumps(entry, ensure_ascii=True) for entry in entries) + "]"


def write_config(path: Path, values: dict[str, list[str]], headers: dict[str, str]) -> None:
    lines = []
    if headers:
        pairs = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in headers.items())
        lines += [f"headers = {{ {pairs} }}", ""]
    for name, entries in values.items():
        lines += [f"[dictionaries.{name}]", f"values = {_toml_list(entries)}", ""]
    lines.append("[parameters]")
    for key, name in BINDINGS.items():
        if name in values:
            lines.append(f'"{key}" = {{ dictionary = "{name}", probability = {PROBABILITY} }}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
