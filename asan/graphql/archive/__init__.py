"""GraphQL of the archive (issue 11): each part's module exports QUERIES and MUTATIONS; this
package concatenates them (each part adds its one import line)."""

from __future__ import annotations

from asan.graphql.archive import cases, nomenclature
from asan.graphql.archive import disposition as disposition_part
from asan.graphql.archive import export as export_part
from asan.graphql.archive import fixity as fixity_part
from asan.graphql.archive import holds as archive_holds
from asan.graphql.archive import transfer as transfer_part

_PARTS = (
    nomenclature,
    cases,
    fixity_part,
    archive_holds,
    disposition_part,
    transfer_part,
    export_part,
)

QUERIES: list[type] = [t for part in _PARTS for t in part.QUERIES]
MUTATIONS: list[type] = [t for part in _PARTS for t in part.MUTATIONS]
