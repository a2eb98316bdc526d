"""Who may add files to a document; reading a file is reading its document (documents' rule).

Registered on import of ``asan.edms.files`` (the package imports this module).
"""

from __future__ import annotations

from asan.auth.policy import Resource, in_unit, rule
from asan.auth.principal import Principal

FILE_UPLOAD = "edms.file.upload"
FILE_PROCESS = "edms.file.process"
DOCUMENT_READ = "edms.document.read"  # the documents part's rule decides file reads


@rule(FILE_UPLOAD)
def _file_upload(principal: Principal, resource: Resource) -> bool:
    # the registrar (registration of incoming paper), the owning unit's staff and heads, and
    # whoever works on the document (executors, visa holders, the signatory); the clearance
    # guard has already refused callers below the document's classification
    return (
        principal.has_role("registrar")
        or in_unit(principal, resource.org_unit)
        or principal.subject in resource.involved
    )


@rule(FILE_PROCESS)
def _file_process(principal: Principal, resource: Resource) -> bool:
    # extraction results are written by the system's processing job only (the system passes
    # as an administrator before rules); no person records extracted text by hand
    return False
