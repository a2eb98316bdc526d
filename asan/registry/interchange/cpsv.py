"""The published registry as CPSV-AP 3.2 JSON-LD (the EU Core Public Service Vocabulary).

Why: other state systems and EU-style catalogues read services in this shared vocabulary, so
the mapping lives here once (``docs/interchange.md`` has the table). The document is one JSON
object with an embedded ``@context`` (prefixes only: a reader never fetches anything) and an
``@graph`` of nodes, produced node by node from keyset pages so an export of any size streams
with bounded memory (``stream_jsonld``). Only public data is exported: published services and
the bodies, places and shared entries they name.

Every node has a stable URI under the public base URI (``ASAN_PUBLIC_BASE_URI``), built from
codes that never change: ``{base}/service/{code}``, ``{base}/organisation/{code}`` and so on.
A legal act with its own official URI (ELI or e-qanun.az) is identified by that URI.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final
from urllib.parse import quote

from asan.core.db import Database
from asan.registry.interchange import repository as repo
from asan.registry.interchange.vocab import (
    CHANNEL_LABELS,
    CONTEXT,
    COUNTRY_AZE,
    CURRENCY_AZN,
    LANGUAGES,
    WEEKDAYS,
)

Node = dict[str, Any]
PAGE: Final = 200


class Uris:
    """Stable node URIs under one base (codes are URL-quoted, never rewritten)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def of(self, *parts: str) -> str:
        return self.base + "/" + "/".join(quote(p, safe="") for p in parts)

    def ref(self, *parts: str) -> dict[str, str]:
        return {"@id": self.of(*parts)}


def _texts(row: repo.Row, prefix: str) -> list[dict[str, str]]:
    """``nameAz/nameEn/nameRu`` as language-tagged strings, empty ones left out."""
    out = []
    for suffix, lang in LANGUAGES:
        value = row.get(prefix + suffix)
        if value:
            out.append({"@language": lang, "@value": value})
    return out


def _az(value: str) -> list[dict[str, str]]:
    return [{"@language": "az", "@value": value}] if value else []


def _ids(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    return refs


def _date(value: Any) -> dict[str, str] | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return {"@type": "xsd:date", "@value": value.isoformat()}
    return None


def _drop_empty(node: Node) -> Node:
    return {k: v for k, v in node.items() if v not in (None, [], {}, "")}


# ------------------------------------------------------------------------------- fixed nodes


def fixed_nodes(u: Uris) -> list[Node]:
    """Concepts every export names: the country, the currency, channel types, statuses."""
    nodes: list[Node] = [
        {"@id": COUNTRY_AZE, "@type": "dct:Location", "dct:identifier": "AZE"},
        {
            "@id": CURRENCY_AZN,
            "@type": "skos:Concept",
            "skos:prefLabel": [{"@language": "az", "@value": "Azərbaycan manatı"}],
            "skos:notation": "AZN",
        },
        {
            "@id": u.of("concept", "service-status", "published"),
            "@type": "skos:Concept",
            "skos:prefLabel": [
                {"@language": "az", "@value": "dərc edilib"},
                {"@language": "en", "@value": "published"},
            ],
        },
    ]
    for code, labels in CHANNEL_LABELS.items():
        nodes.append(
            {
                "@id": u.of("concept", "channel-type", code),
                "@type": "skos:Concept",
                "skos:notation": code,
                "skos:prefLabel": [{"@language": k, "@value": v} for k, v in labels],
            }
        )
        # a generic channel of each type, for services that name no centre or bus
        nodes.append(
            {
                "@id": u.of("channel", code),
                "@type": "cv:Channel",
                "dct:identifier": code,
                "dct:type": u.ref("concept", "channel-type", code),
                "dct:description": [{"@language": k, "@value": v} for k, v in labels],
            }
        )
    return nodes


# --------------------------------------------------------------------------- contact points


def contact_point(u: Uris, row: repo.Row, *owner: str) -> list[Node]:
    """A ``cv:ContactPoint`` (and its opening hours) from ``contact*`` properties, if any."""
    email, phone = row.get("contactEmail"), row.get("contactTelephone")
    hours, url = row.get("contactHours"), row.get("contactUrl")
    if not (email or phone or hours or url):
        return []
    cp: Node = {"@id": u.of(*owner, "contact-point"), "@type": "cv:ContactPoint"}
    nodes = [cp]
    if email:
        cp["cv:email"] = email
    if phone:
        cp["cv:telephone"] = phone
    if url:
        cp["cv:contactPage"] = {"@id": url}
        nodes.append({"@id": url, "@type": "foaf:Document"})
    if hours:
        hours_id = u.of(*owner, "contact-point", "opening-hours")
        cp["cv:openingHours"] = {"@id": hours_id}
        nodes.append(
            {"@id": hours_id, "@type": "time:TemporalEntity", "dct:description": _az(hours)}
        )
    return nodes


# ------------------------------------------------------------------------------ organisations


def organisation(u: Uris, row: repo.Row) -> list[Node]:
    code = row["code"]
    node: Node = {
        "@id": u.of("organisation", code),
        "@type": ["cv:PublicOrganisation", "org:Organization"],
        "dct:identifier": code,
        "skos:prefLabel": _texts(row, "name"),
        "dct:spatial": {"@id": COUNTRY_AZE},
    }
    if row.get("parent"):
        node["org:subOrganizationOf"] = u.ref("organisation", row["parent"])
    extra = contact_point(u, row, "organisation", code)
    if extra:
        node["cv:contactPoint"] = {"@id": extra[0]["@id"]}
    return [node, *extra]


# ----------------------------------------------------------------------------------- channels


def centre_channel(u: Uris, row: repo.Row) -> list[Node]:
    hours_id = u.of("channel", "centre", row["code"], "opening-hours")
    return [
        {
            "@id": u.of("channel", "centre", row["code"]),
            "@type": "cv:Channel",
            "dct:identifier": f"ASAN_CENTRE/{row['code']}",
            "dct:type": u.ref("concept", "channel-type", "ASAN_CENTRE"),
            "dct:description": _az(f"{row['name']}, {row['address']}"),
            "cv:ownedBy": u.ref("organisation", "ASAN"),
            "cv:openingHours": {"@id": hours_id},
        },
        {
            "@id": hours_id,
            "@type": "time:TemporalEntity",
            "dct:description": [
                {"@language": "az", "@value": f"hər gün {row['hours']}"},
                {"@language": "en", "@value": f"every day {row['hours']}"},
            ],
        },
    ]


def bus_channel(u: Uris, row: repo.Row) -> list[Node]:
    hours_id = u.of("channel", "bus", row["code"], "opening-hours")
    stops = sorted(row.get("stops") or [], key=lambda v: (v["weekday"], v["startsAt"]))
    schedule = "; ".join(
        f"{WEEKDAYS[v['weekday'] - 1]} {v['startsAt']}-{v['endsAt']} {v['name']}" for v in stops
    )
    node: Node = {
        "@id": u.of("channel", "bus", row["code"]),
        "@type": "cv:Channel",
        "dct:identifier": f"MOBILE_BUS/{row['code']}",
        "dct:type": u.ref("concept", "channel-type", "MOBILE_BUS"),
        "dct:description": _az(row["name"]),
        "cv:ownedBy": u.ref("organisation", "ASAN"),
    }
    if not schedule:
        return [node]
    node["cv:openingHours"] = {"@id": hours_id}
    hours: Node = {"@id": hours_id, "@type": "time:TemporalEntity"}
    hours["dct:description"] = _az(schedule)
    return [node, hours]


# ------------------------------------------------------------------------- shared reference


def evidence(u: Uris, row: repo.Row) -> list[Node]:
    return [
        {
            "@id": u.of("evidence", row["code"]),
            "@type": "cv:Evidence",
            "dct:identifier": row["code"],
            "dct:title": _texts(row, "name"),
        }
    ]


def output(u: Uris, row: repo.Row) -> list[Node]:
    return [
        {
            "@id": u.of("output", row["code"]),
            "@type": "cv:Output",
            "dct:identifier": row["code"],
            "dct:title": _texts(row, "name"),
        }
    ]


def legal_uri(u: Uris, code: str, uri: str | None) -> str:
    return uri or u.of("legal-act", code)


def legal_resource(u: Uris, row: repo.Row) -> list[Node]:
    node: Node = {
        "@id": legal_uri(u, row["code"], row.get("uri")),
        "@type": "eli:LegalResource",
        "dct:identifier": row["code"],
        "dct:title": _az(row.get("title") or ""),
        "eli:first_date_entry_in_force": _date(row.get("inForceFrom")),
        "eli:date_no_longer_in_force": _date(row.get("inForceUntil")),
    }
    if row.get("uri"):
        node["owl:sameAs"] = u.ref("legal-act", row["code"])
    return [_drop_empty(node)]


def category(u: Uris, row: repo.Row) -> list[Node]:
    """A life event (``kind: life_event``) is a ``cv:LifeEvent`` grouping its services; any
    other category is a ``skos:Concept`` that classifies them."""
    if row.get("kind") == "life_event":
        return [
            {
                "@id": u.of("life-event", row["code"]),
                "@type": ["cv:LifeEvent", "cv:Event"],
                "dct:identifier": row["code"],
                "dct:title": _texts(row, "name"),
                "cv:hasRelatedService": _ids(
                    [u.ref("service", s) for s in sorted(row.get("services") or [])]
                ),
            }
        ]
    return [
        {
            "@id": u.of("concept", "category", row["code"]),
            "@type": "skos:Concept",
            "skos:notation": row["code"],
            "skos:prefLabel": _texts(row, "name"),
        }
    ]


# ----------------------------------------------------------------------------------- services


def _duration(days: int | None) -> dict[str, str] | None:
    if days is None:
        return None
    return {"@type": "xsd:duration", "@value": f"P{days}D"}


def public_service(u: Uris, row: repo.Row) -> list[Node]:
    """A published service and the nodes only it owns: requirements, cost, online channel."""
    code = row["code"]
    sid = ("service", code)
    nodes: list[Node] = []
    description = _texts(row, "description") or _texts(row, "name")  # CPSV-AP requires one
    channels: list[dict[str, str]] = []
    for channel in sorted(row.get("channels") or []):
        if channel == "ASAN_CENTRE" and row.get("centres"):
            channels += [u.ref("channel", "centre", c) for c in sorted(row["centres"])]
        elif channel == "MOBILE_BUS" and row.get("buses"):
            channels += [u.ref("channel", "bus", b) for b in sorted(row["buses"])]
        elif channel == "ONLINE" and row.get("onlineUrl"):
            online = u.of(*sid, "channel", "online")
            channels.append({"@id": online})
            nodes.append(
                {
                    "@id": online,
                    "@type": "cv:Channel",
                    "dct:identifier": f"ONLINE/{code}",
                    "dct:type": u.ref("concept", "channel-type", "ONLINE"),
                    "foaf:page": {"@id": row["onlineUrl"]},
                    "cv:ownedBy": u.ref("organisation", row["provider"]),
                }
            )
            nodes.append({"@id": row["onlineUrl"], "@type": "foaf:Document"})
        else:
            channels.append(u.ref("channel", channel))
    requirements = sorted(row.get("requirements") or [], key=lambda r: r.get("position") or 0)
    req_refs = []
    for i, req in enumerate(requirements, start=1):
        rid = u.of(*sid, "requirement", str(i))
        req_refs.append({"@id": rid})
        title = req["code"] + (f" ({req['condition']})" if req.get("condition") else "")
        nodes.append(
            {
                "@id": rid,
                "@type": "cv:Requirement",
                "dct:identifier": f"{code}/requirement/{i}",
                "dct:title": _az(title),
                "cv:hasSupportingEvidence": u.ref("evidence", req["code"]),
            }
        )
    fee = Decimal(str(row.get("feeAmount") or 0)).quantize(Decimal("0.01"))
    cost: Node = {
        "@id": u.of(*sid, "cost"),
        "@type": "cv:Cost",
        "dct:identifier": f"{code}/cost",
        "cv:hasValue": {"@type": "xsd:double", "@value": str(fee)},
        "cv:currency": {"@id": CURRENCY_AZN},
        "cv:isDefinedBy": u.ref("organisation", row["provider"]),
    }
    exemptions = row.get("feeExemptions") or []
    if exemptions:
        cost["dct:description"] = _az("Güzəştlər: " + "; ".join(exemptions))
    nodes.append(cost)
    contact = contact_point(u, row, *sid)
    nodes += contact
    categories = row.get("categories") or []
    service: Node = {
        "@id": u.of(*sid),
        "@type": "cpsv:PublicService",
        "dct:identifier": code,
        "dct:title": _texts(row, "name"),
        "dct:description": description,
        "adms:status": u.ref("concept", "service-status", "published"),
        "cv:hasCompetentAuthority": u.ref("organisation", row["provider"]),
        "cv:processingTime": _duration(row.get("processingDays")),
        "cv:hasChannel": _ids(channels),
        "cv:holdsRequirement": _ids(req_refs),
        "cpsv:hasInput": _ids([u.ref("evidence", r["code"]) for r in requirements]),
        "cpsv:produces": _ids([u.ref("output", o) for o in sorted(row.get("outputs") or [])]),
        "cv:hasCost": {"@id": cost["@id"]},
        "cv:hasLegalResource": _ids(
            [
                {"@id": legal_uri(u, a["code"], a.get("uri"))}
                for a in sorted(row.get("legal") or [], key=lambda a: a["code"])
            ]
        ),
        "cv:isClassifiedBy": _ids(
            [
                u.ref("concept", "category", c["code"])
                for c in sorted(categories, key=lambda c: c["code"])
                if c.get("kind") != "life_event"
            ]
        ),
        "cv:isGroupedBy": _ids(
            [
                u.ref("life-event", c["code"])
                for c in sorted(categories, key=lambda c: c["code"])
                if c.get("kind") == "life_event"
            ]
        ),
        "cv:contactPoint": {"@id": contact[0]["@id"]} if contact else None,
    }
    return [_drop_empty(service), *nodes]


# ---------------------------------------------------------------------------------- streaming

Reader = Callable[[str, int], Awaitable[list[repo.Row]]]


async def _pages(read: Reader, page: int) -> AsyncIterator[repo.Row]:
    after = ""
    while True:
        rows = await read(after, page)
        for row in rows:
            yield row
        if len(rows) < page:
            return
        after = rows[-1]["code"]


async def export_nodes(db: Database, base_uri: str, *, page: int = PAGE) -> AsyncIterator[Node]:
    """Every node of the export, in a fixed order (stable output for the same registry)."""
    u = Uris(base_uri)
    for node in fixed_nodes(u):
        yield node

    def entries(label: str) -> Reader:
        return lambda after, limit: repo.referenced_entries(db, label, after=after, limit=limit)

    sources: list[tuple[Reader, Callable[[Uris, repo.Row], list[Node]]]] = [
        (lambda a, n: repo.state_bodies(db, after=a, limit=n), organisation),
        (entries("AsanCentre"), centre_channel),
        (entries("MobileBus"), bus_channel),
        (entries("Evidence"), evidence),
        (entries("Output"), output),
        (entries("LegalAct"), legal_resource),
        (entries("Category"), category),
        (lambda a, n: repo.published_services(db, after=a, limit=n), public_service),
    ]
    for read, build in sources:
        async for row in _pages(read, page):
            for node in build(u, row):
                yield node


async def stream_jsonld(db: Database, base_uri: str, *, page: int = PAGE) -> AsyncIterator[str]:
    """The export as text chunks of one JSON-LD document (one chunk per node)."""
    yield '{"@context": ' + json.dumps(CONTEXT, ensure_ascii=False) + ', "@graph": [\n'
    first = True
    async for node in export_nodes(db, base_uri, page=page):
        yield ("" if first else ",\n") + json.dumps(node, ensure_ascii=False, sort_keys=True)
        first = False
    yield "\n]}\n"


async def export_document(db: Database, base_uri: str, *, page: int = PAGE) -> dict[str, Any]:
    """The whole export as one JSON object (tests and small registries)."""
    text = "".join([chunk async for chunk in stream_jsonld(db, base_uri, page=page)])
    document: dict[str, Any] = json.loads(text)
    return document
