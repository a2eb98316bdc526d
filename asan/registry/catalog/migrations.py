"""Neo4j migrations of the services catalog (ids "catalog:<nnnn>", never renumbered)."""

from asan.core.db import Tx
from asan.core.migrations import Migration
from asan.registry.catalog.models import CHANNELS
from asan.registry.text_backfill import catalog_text_keys


async def _channels(tx: Tx) -> None:
    # Channels are reference data: services link to these four nodes and nothing creates more.
    await tx.run("UNWIND $codes AS code MERGE (:Channel {code: code})", {"codes": list(CHANNELS)})


MIGRATIONS: list[Migration] = [
    Migration(
        id="catalog:0001",
        description="catalog codes are unique; names are indexed by their fold for paging",
        schema=(
            "CREATE CONSTRAINT state_body_code IF NOT EXISTS "
            "FOR (n:StateBody) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT information_system_code IF NOT EXISTS "
            "FOR (n:InformationSystem) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT service_code IF NOT EXISTS FOR (n:Service) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT legal_act_code IF NOT EXISTS "
            "FOR (n:LegalAct) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT evidence_code IF NOT EXISTS "
            "FOR (n:Evidence) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT output_code IF NOT EXISTS FOR (n:Output) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT channel_code IF NOT EXISTS FOR (n:Channel) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT category_code IF NOT EXISTS "
            "FOR (n:Category) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT asan_centre_code IF NOT EXISTS "
            "FOR (n:AsanCentre) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT mobile_bus_code IF NOT EXISTS "
            "FOR (n:MobileBus) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT bus_stop_code IF NOT EXISTS "
            "FOR (n:BusStop) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT registration_request_id IF NOT EXISTS "
            "FOR (n:RegistrationRequest) REQUIRE n.id IS UNIQUE",
            "CREATE INDEX service_name_fold IF NOT EXISTS FOR (n:Service) ON (n.nameFold, n.code)",
            "CREATE INDEX service_status IF NOT EXISTS FOR (n:Service) ON (n.status)",
            "CREATE INDEX state_body_name_fold IF NOT EXISTS "
            "FOR (n:StateBody) ON (n.nameFold, n.code)",
            "CREATE INDEX information_system_name_fold IF NOT EXISTS "
            "FOR (n:InformationSystem) ON (n.nameFold, n.code)",
            "CREATE INDEX registration_request_status IF NOT EXISTS "
            "FOR (n:RegistrationRequest) ON (n.status)",
        ),
        data=_channels,
    ),
    Migration(
        id="catalog:0010",
        description="Azerbaijani order and lookup: nameSortKey, searchText, regionFold and "
        "updatedAt on every named catalog node, indexed for ordering and paging",
        schema=(
            "CREATE INDEX service_name_sort IF NOT EXISTS "
            "FOR (n:Service) ON (n.nameSortKey, n.code)",
            "CREATE INDEX state_body_name_sort IF NOT EXISTS "
            "FOR (n:StateBody) ON (n.nameSortKey, n.code)",
            "CREATE INDEX information_system_name_sort IF NOT EXISTS "
            "FOR (n:InformationSystem) ON (n.nameSortKey, n.code)",
            "CREATE INDEX asan_centre_name_sort IF NOT EXISTS "
            "FOR (n:AsanCentre) ON (n.nameSortKey, n.code)",
            "CREATE INDEX asan_centre_region_fold IF NOT EXISTS "
            "FOR (n:AsanCentre) ON (n.regionFold)",
            "CREATE INDEX service_updated_at IF NOT EXISTS FOR (n:Service) ON (n.updatedAt)",
        ),
        data=catalog_text_keys,
    ),
]
