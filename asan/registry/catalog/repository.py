"""The catalog's repository functions in one namespace, for callers outside the catalog.

The Cypher lives in each entity's repository module (bodies, systems, reference data,
places, services, impact, registration); this module only re-exports it, so a caller that
reads many kinds of entities (tests, the benchmark's generator) imports one name.
"""

from asan.registry.catalog.bodies.repository import (
    list_state_bodies,
    state_bodies_by_codes,
    upsert_state_bodies,
    would_cycle,
)
from asan.registry.catalog.impact.repository import (
    coverage,
    dependency_path,
    impact,
)
from asan.registry.catalog.places.repository import (
    buses_by_codes,
    centre_sort_key,
    centres_by_codes,
    list_asan_centres,
    list_mobile_buses,
    schedules_by_bus,
    upsert_asan_centres,
    upsert_bus_stops,
    upsert_mobile_buses,
)
from asan.registry.catalog.reference_data.repository import (
    categories_by_codes,
    list_categories,
    upsert_categories,
)
from asan.registry.catalog.registration.repository import (
    create_request,
    list_requests,
    open_request_for_service,
    request_by_id,
    requests_by_service,
    update_request,
)
from asan.registry.catalog.repo_common import (
    Query,
    References,
    _native,
    _run,
    missing_references,
    reserve_code,
)
from asan.registry.catalog.services.reads import (
    SERVICE_ORDERS,
    ServiceOrder,
    list_services,
    list_services_with_providers,
    relations_by_service,
    requirements_by_service,
    services_by_body,
    services_by_codes,
    services_with_providers,
    stored_services,
    versions_by_service,
)
from asan.registry.catalog.services.repository import (
    set_service_status,
    upsert_services,
)
from asan.registry.catalog.services.rows import (
    _instant,
)
from asan.registry.catalog.systems.repository import (
    data_links,
    information_systems_by_codes,
    link_information_systems,
    list_information_systems,
    systems_by_operator,
    upsert_information_systems,
)

__all__ = [
    "SERVICE_ORDERS",
    "Query",
    "References",
    "ServiceOrder",
    "_instant",
    "_native",
    "_run",
    "buses_by_codes",
    "categories_by_codes",
    "centre_sort_key",
    "centres_by_codes",
    "coverage",
    "create_request",
    "data_links",
    "dependency_path",
    "impact",
    "information_systems_by_codes",
    "link_information_systems",
    "list_asan_centres",
    "list_categories",
    "list_information_systems",
    "list_mobile_buses",
    "list_requests",
    "list_services",
    "list_services_with_providers",
    "list_state_bodies",
    "missing_references",
    "open_request_for_service",
    "relations_by_service",
    "request_by_id",
    "requests_by_service",
    "requirements_by_service",
    "reserve_code",
    "schedules_by_bus",
    "services_by_body",
    "services_by_codes",
    "services_with_providers",
    "set_service_status",
    "state_bodies_by_codes",
    "stored_services",
    "systems_by_operator",
    "update_request",
    "upsert_asan_centres",
    "upsert_bus_stops",
    "upsert_categories",
    "upsert_information_systems",
    "upsert_mobile_buses",
    "upsert_services",
    "upsert_state_bodies",
    "versions_by_service",
    "would_cycle",
]
