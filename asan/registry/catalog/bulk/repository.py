"""Cypher of bulk import: the registered names of what a file names by code."""

from __future__ import annotations

from typing import Any

from asan.core.db import Tx


async def named_items(
    tx: Tx, *, evidence: list[str], outputs: list[str], acts: list[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """Names of the documents, outputs and legal acts a file refers to by code (one query)."""
    rows = await tx.run(
        """
        CALL () {
            UNWIND $evidence AS code
            MATCH (e:Evidence {code: code})
            RETURN collect(e {.code, .nameAz, .nameEn, .nameRu}) AS evidence
        }
        CALL () {
            UNWIND $outputs AS code
            MATCH (o:Output {code: code})
            RETURN collect(o {.code, .nameAz, .nameEn, .nameRu}) AS outputs
        }
        CALL () {
            UNWIND $acts AS code
            MATCH (a:LegalAct {code: code})
            RETURN collect(a {.code, .title}) AS acts
        }
        RETURN evidence, outputs, acts
        """,
        {"evidence": evidence, "outputs": outputs, "acts": acts},
    )
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for kind in ("evidence", "outputs", "acts"):
        out[kind] = {
            item["code"]: {k: (v if v is not None else "") for k, v in item.items()}
            for item in rows[0][kind]
        }
    return out
