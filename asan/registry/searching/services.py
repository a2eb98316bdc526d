"""Registry services in the search: what a citizen or a body would call a service.

A service's document is its Azerbaijani name (the title) and, as searched text, its names in
English and Russian, descriptions, required documents with their conditions, outputs, the
providing body's names, categories and life events and its legal basis. The shared entries
(documents, outputs, categories, legal acts) and the providing body are shown on many
services, so a change to one re-indexes every service showing it, found with one query per
batch of events. Who may find it is ``policy.service_acl``: the catalog's read rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from asan.auth.principal import Principal
from asan.registry.catalog.flows import DRAFT
from asan.registry.searching.common import RegistryKind, names, text
from asan.registry.searching.policy import service_acl, service_tokens
from asan.search.engine import SearchDoc

if TYPE_CHECKING:
    from asan.core.platform import Platform

# shared entries whose names a service's document shows, by change-log kind
_SHOWN = ("Evidence", "Output", "Category", "LegalAct", "StateBody")

_SERVICES = """
UNWIND $codes AS code
MATCH (s:Service {code: code})
OPTIONAL MATCH (s)-[:PROVIDED_BY]->(b:StateBody)
RETURN s.code AS code, s.status AS status, b.code AS provider,
       [s.nameAz, s.nameEn, s.nameRu] AS names,
       [s.descriptionAz, s.descriptionEn, s.descriptionRu] AS descriptions,
       [b.nameAz, b.nameEn, b.nameRu] AS providerNames,
       [(s)-[r:REQUIRES]->(e:Evidence)
        | {position: r.position, code: e.code, names: [e.nameAz, e.nameEn, e.nameRu],
           condition: r.condition}] AS documents,
       [(s)-[:PRODUCES]->(o:Output) | {code: o.code, names: [o.nameAz, o.nameEn, o.nameRu]}]
         AS outputs,
       [(s)-[:IN_CATEGORY]->(c:Category)
        | {code: c.code, names: [c.nameAz, c.nameEn, c.nameRu]}] AS categories,
       [(s)-[r:HAS_LEGAL_BASIS]->(a:LegalAct)
        | {code: a.code, title: a.title, articles: r.articles}] AS legal,
       COLLECT {
           MATCH (s)-[:HAS_VERSION]->(v:ServiceVersion) WHERE v.statusTo = 'published'
           RETURN v.at.year ORDER BY v.at LIMIT 1
       } AS published
"""

# every service showing one of the changed entries (one query for a whole batch)
_SHOWING = """
UNWIND $Evidence AS code
MATCH (:Evidence {code: code})<-[:REQUIRES]-(s:Service) RETURN s.code AS id
UNION
UNWIND $Output AS code
MATCH (:Output {code: code})<-[:PRODUCES]-(s:Service) RETURN s.code AS id
UNION
UNWIND $Category AS code
MATCH (:Category {code: code})<-[:IN_CATEGORY]-(s:Service) RETURN s.code AS id
UNION
UNWIND $LegalAct AS code
MATCH (:LegalAct {code: code})<-[:HAS_LEGAL_BASIS]-(s:Service) RETURN s.code AS id
UNION
UNWIND $StateBody AS code
MATCH (:StateBody {code: code})<-[:PROVIDED_BY]-(s:Service) RETURN s.code AS id
"""


def _by_code(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # pattern comprehensions come in no fixed order: a rebuilt document must equal this one
    return sorted(entries, key=lambda e: (e.get("position") or 0, e["code"]))


def _body(row: Any) -> str:
    documents = [text(names(d["names"]), d["condition"]) for d in _by_code(row["documents"])]
    legal = [text(a["title"], ", ".join(a["articles"] or ())) for a in _by_code(row["legal"])]
    return text(
        names(row["names"][1:]),
        row["code"],
        *row["descriptions"],
        *documents,
        *(names(o["names"]) for o in _by_code(row["outputs"])),
        names(row["providerNames"]),
        *(names(c["names"]) for c in _by_code(row["categories"])),
        *legal,
    )


class ServiceSource(RegistryKind):
    """Kind "service": every service, each readable by whom the catalog's read rule says."""

    kind: str = "service"
    log_kinds: frozenset[str] = frozenset({"Service", *_SHOWN})
    own = "Service"
    showing = _SHOWING
    every = "MATCH (s:Service) RETURN s.code AS id ORDER BY id"

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        if not ids:
            return []
        rows = await platform.db.read(_SERVICES, {"codes": list(ids)})
        return [
            SearchDoc(
                self.kind,
                row["code"],
                text(row["names"][0]) or row["code"],
                _body(row),
                acl=service_acl(row["status"], row["provider"]),
                state_body=row["provider"],
                year=row["published"][0] if row["published"] else None,
                status=row["status"] or DRAFT,
            )
            for row in rows
        ]

    def tokens(self, principal: Principal) -> Iterable[str]:
        return service_tokens(principal)
