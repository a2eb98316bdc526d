"""Checks of an information system's register entry: lifecycle, security class, data objects,
contact point and X-Road address. Kept beside the systems so ``validation`` stays about names.

X-Road identifiers follow the X-Road naming (``instance/memberClass/memberCode/subsystemCode``
and service codes); each part is a code (letters, digits, ``. _ / -``) so it can be compared and
exported as is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from asan.registry.catalog.contact import contact_point
from asan.registry.catalog.models import (
    SECURITY_CLASSES,
    SYSTEM_LIFECYCLES,
    SystemRecord,
    XRoadService,
)

if TYPE_CHECKING:
    from asan.registry.catalog.validation import Checker

MAX_DATA_OBJECTS: Final = 100
MAX_SERVICE_CODES: Final = 200


def _xroad(c: Checker, raw: XRoadService) -> XRoadService:
    codes = raw.service_codes
    if len(codes) > MAX_SERVICE_CODES:
        c.add(
            "xroad.serviceCodes",
            f"{MAX_SERVICE_CODES}-dən çox / more than {MAX_SERVICE_CODES} service codes",
        )
        codes = codes[:MAX_SERVICE_CODES]
    return XRoadService(
        instance=c.code(raw.instance, "xroad.instance"),
        member_class=c.code(raw.member_class, "xroad.memberClass"),
        member_code=c.code(raw.member_code, "xroad.memberCode"),
        subsystem_code=c.code(raw.subsystem_code, "xroad.subsystemCode"),
        service_codes=c.codes(codes, "xroad.serviceCodes"),
    )


def system_record(c: Checker, raw: SystemRecord) -> SystemRecord:
    objects = raw.data_objects
    if len(objects) > MAX_DATA_OBJECTS:
        c.add("dataObjects", f"{MAX_DATA_OBJECTS}-dən çox / more than {MAX_DATA_OBJECTS}")
        objects = objects[:MAX_DATA_OBJECTS]
    cleaned = tuple(c.text(o, f"dataObjects[{i}]") for i, o in enumerate(objects))
    c.unique(cleaned, "dataObjects")
    return SystemRecord(
        lifecycle=c.one_of(raw.lifecycle, SYSTEM_LIFECYCLES, "lifecycle"),
        security_class=c.one_of(raw.security_class, SECURITY_CLASSES, "securityClass"),
        data_objects=cleaned,
        contact_point=(
            contact_point(c, raw.contact_point, "contactPoint")
            if raw.contact_point is not None
            else None
        ),
        xroad=_xroad(c, raw.xroad) if raw.xroad is not None else None,
    )
