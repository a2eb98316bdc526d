"""The two request shapes of the HTTP benchmark: the GraphQL query and the one Cypher behind it.

``service(code:)`` is the common public detail read; ``stateBody -> services ->
requiredDocuments`` the three-level tree. The HTTP floor (``floor_app``) and the raw-driver
baseline (``raw_driver``) run the same single Cypher per request, so whatever the API adds on
top of them is the cost of the GraphQL layer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, LiteralString

PUBLIC = ["published", "suspended"]

SERVICE_QUERY = """
query($code: String!) {
  service(code: $code) {
    code nameAz status feeAmount processingDays provider { code nameAz }
  }
}"""
SERVICE_CYPHER: LiteralString = """
MATCH (s:Service {code: $code})-[:PROVIDED_BY]->(b:StateBody)
WHERE s.status IN $public
RETURN s.code AS code, s.nameAz AS nameAz, toUpper(s.status) AS status,
       s.feeAmount AS feeAmount, s.processingDays AS processingDays,
       b {.code, .nameAz} AS provider
"""
TREE_QUERY = """
query($code: String!) {
  stateBody(code: $code) {
    code nameAz
    services { code nameAz requiredDocuments { position code nameAz condition } }
  }
}"""
# the same tree where ``StateBody.services`` is a connection (the schema pages every list that
# can grow); the bench uses whichever the served schema has
TREE_CONNECTION_QUERY = """
query($code: String!) {
  stateBody(code: $code) {
    code nameAz
    services(first: 100) {
      edges { node { code nameAz requiredDocuments { position code nameAz condition } } }
    }
  }
}"""
TREE_CYPHER: LiteralString = """
MATCH (b:StateBody {code: $code})
UNWIND [x IN [(b)<-[:PROVIDED_BY]-(s:Service) | s] WHERE x.status IN $public] AS s
WITH b, s ORDER BY s.nameSortKey, s.code
RETURN b.code AS code, b.nameAz AS nameAz,
       collect(s {.code, .nameAz,
                  requiredDocuments: COLLECT {
                      MATCH (s)-[r:REQUIRES]->(e:Evidence)
                      WITH r, e ORDER BY r.position, e.code
                      RETURN {position: r.position + 1, code: e.code, nameAz: e.nameAz,
                              condition: r.condition}
                  }}) AS services
"""


@dataclass(frozen=True)
class Shape:
    name: str
    root: str  # the GraphQL root field, also the key of the floor's ``data``
    query: str
    cypher: LiteralString
    code: str  # the sample-data code every request asks for

    def body(self) -> dict[str, Any]:
        return {"query": self.query, "variables": {"code": self.code}}

    def params(self, code: str) -> dict[str, Any]:
        return {"code": code, "public": PUBLIC}


SHAPES = {
    "service": Shape("service", "service", SERVICE_QUERY, SERVICE_CYPHER, "DIN-002"),
    "tree": Shape("tree", "stateBody", TREE_QUERY, TREE_CYPHER, "DIN"),
}


def floor_data(shape: Shape, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The floor's answer: the one row (or null), as the GraphQL ``data`` would carry it."""
    return {shape.root: rows[0] if rows else None}


def with_connection_tree(shapes: dict[str, Shape]) -> dict[str, Shape]:
    """The shapes with the tree asked through ``services(first:) { edges { node } }``."""
    return {**shapes, "tree": replace(shapes["tree"], query=TREE_CONNECTION_QUERY)}
