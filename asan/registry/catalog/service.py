"""The catalog's use cases in one namespace, for callers outside the catalog.

Each entity's use cases live in its package (bodies, systems, reference data, places,
services, registration); each is one unit of work: authorise -> write -> audit. This module
only re-exports them so the GraphQL layer, bulk import and tests name one module.
"""

from asan.registry.catalog import repository as repo
from asan.registry.catalog.bodies.use_cases import (
    create_state_body,
    save_state_body,
    update_state_body,
)
from asan.registry.catalog.common import (
    visibility,
)
from asan.registry.catalog.places.use_cases import (
    create_asan_centre,
    save_bus_stops,
    save_mobile_bus,
)
from asan.registry.catalog.reference_data.use_cases import (
    create_category,
    upsert_reference_data,
)
from asan.registry.catalog.registration.change_requests import (
    review_request,
    set_responsible_body,
    submit_change,
    sweep_overdue,
)
from asan.registry.catalog.registration.reads import (
    list_requests,
    overdue_requests,
    requests_page,
)
from asan.registry.catalog.registration.use_cases import (
    register_request,
    return_request,
    submit_service,
)
from asan.registry.catalog.services.lifecycle import (
    transition_service,
)
from asan.registry.catalog.services.use_cases import (
    UpsertResult,
    apply_patch,
    create_service,
    may_read_requests,
    update_service,
    upsert_services,
    write_services,
)
from asan.registry.catalog.systems.use_cases import (
    MAX_LINKS,
    create_information_system,
    link_information_systems,
    save_information_system,
    update_information_system,
)

__all__ = [
    "MAX_LINKS",
    "UpsertResult",
    "apply_patch",
    "create_asan_centre",
    "create_category",
    "create_information_system",
    "create_service",
    "create_state_body",
    "link_information_systems",
    "list_requests",
    "may_read_requests",
    "overdue_requests",
    "register_request",
    "repo",
    "requests_page",
    "return_request",
    "review_request",
    "save_bus_stops",
    "save_information_system",
    "save_mobile_bus",
    "save_state_body",
    "set_responsible_body",
    "submit_change",
    "submit_service",
    "sweep_overdue",
    "transition_service",
    "update_information_system",
    "update_service",
    "update_state_body",
    "upsert_reference_data",
    "upsert_services",
    "visibility",
    "write_services",
]
