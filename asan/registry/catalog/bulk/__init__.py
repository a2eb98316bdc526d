"""Bulk import and export of one state body's services (JSON or CSV), all or nothing."""

from asan.registry.catalog.bulk.use_cases import (
    EXPORT_ACTION,
    IMPORT_ACTION,
    WRITE_CHUNK,
    ImportReport,
    export_services,
    import_services,
)

__all__ = [
    "EXPORT_ACTION",
    "IMPORT_ACTION",
    "WRITE_CHUNK",
    "ImportReport",
    "export_services",
    "import_services",
]
