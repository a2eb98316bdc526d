"""Cypher of information-system register entries, stored as properties of the system node.

Flat properties (``lifecycle``, ``securityClass``, ``dataObjects``, ``contact*``, ``xroad*``)
keep a system one node: lists and the export read them with the system, no extra hop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from asan.core.db import Tx
from asan.registry.catalog.contact import contact_of, contact_properties
from asan.registry.catalog.models import (
    InformationSystemInput,
    SystemRecord,
    XRoadService,
)


def record_of(row: Mapping[str, Any]) -> SystemRecord:
    xroad = None
    if row.get("xroadInstance"):
        xroad = XRoadService(
            row["xroadInstance"],
            row.get("xroadMemberClass") or "",
            row.get("xroadMemberCode") or "",
            row.get("xroadSubsystemCode") or "",
            tuple(row.get("xroadServiceCodes") or ()),
        )
    return SystemRecord(
        lifecycle=row.get("lifecycle") or "in_operation",
        security_class=row.get("securityClass") or "internal",
        data_objects=tuple(row.get("dataObjects") or ()),
        contact_point=contact_of(row),
        xroad=xroad,
    )


async def save_records(tx: Tx, systems: Sequence[InformationSystemInput]) -> None:
    """Replace the register entries of existing systems (absent parts are removed)."""
    rows = []
    for s in systems:
        r, x = s.record, s.record.xroad
        rows.append(
            {
                "code": s.code,
                "props": {
                    "lifecycle": r.lifecycle,
                    "securityClass": r.security_class,
                    "dataObjects": list(r.data_objects),
                    **contact_properties(r.contact_point),
                    "xroadInstance": x.instance if x else None,
                    "xroadMemberClass": x.member_class if x else None,
                    "xroadMemberCode": x.member_code if x else None,
                    "xroadSubsystemCode": x.subsystem_code if x else None,
                    "xroadServiceCodes": list(x.service_codes) if x else None,
                },
            }
        )
    # a change to the entry alone is a change of the system: the changed-since filters see it
    await tx.run(
        """
        UNWIND $rows AS r
        MATCH (x:InformationSystem {code: r.code})
        SET x.updatedAt = CASE
                WHEN any(k IN keys(r.props) WHERE coalesce(
                         x[k] <> r.props[k], (x[k] IS NULL) <> (r.props[k] IS NULL)))
                THEN datetime() ELSE x.updatedAt END
        SET x += r.props
        """,
        {"rows": rows},
    )
