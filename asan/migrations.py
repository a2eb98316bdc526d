"""Every domain's migrations, in the order they must apply.

Adding a domain: give it a ``migrations.py`` with a ``MIGRATIONS`` list and add it here after
the domains it depends on.
"""

from asan.archive.disposition import migrations as archive_disposition
from asan.archive.export import migrations as archive_export
from asan.archive.fixity import migrations as archive_fixity
from asan.archive.holds import migrations as archive_holds
from asan.archive.nomenclature import migrations as archive_nomenclature
from asan.archive.records import migrations as archive_records
from asan.archive.transfer import migrations as archive_transfer
from asan.auth import migrations as auth
from asan.core import core_migrations as core
from asan.core.migrations import Migration
from asan.edms.copies import migrations as edms_copies
from asan.edms.dispatch import migrations as edms_dispatch
from asan.edms.documents import migrations as edms_documents
from asan.edms.files import migrations as edms_files
from asan.edms.resolutions import migrations as edms_resolutions
from asan.edms.signatures import migrations as edms_signatures
from asan.integration import migrations as integration
from asan.registry.catalog import migrations as catalog
from asan.registry.org import migrations as org


def all_migrations() -> list[Migration]:
    return [
        *core.MIGRATIONS,
        *org.MIGRATIONS,
        *catalog.MIGRATIONS,
        *auth.MIGRATIONS,
        *integration.MIGRATIONS,
        *edms_documents.MIGRATIONS,
        *edms_dispatch.MIGRATIONS,
        *edms_copies.MIGRATIONS,
        *edms_files.MIGRATIONS,
        *edms_resolutions.MIGRATIONS,
        *edms_signatures.MIGRATIONS,
        *archive_nomenclature.MIGRATIONS,
        *archive_records.MIGRATIONS,
        *archive_export.MIGRATIONS,
        *archive_disposition.MIGRATIONS,
        *archive_fixity.MIGRATIONS,
        *archive_holds.MIGRATIONS,
        *archive_transfer.MIGRATIONS,
    ]
