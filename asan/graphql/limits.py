"""The query limits and the declared size of every list field the cost estimate multiplies by.

A cost estimate is only as honest as its list sizes. Connections are bounded by ``first``
(at most ``MAX_PAGE``, the resolvers refuse more); the lists below are not paged, so each one
declares the largest size it realistically reaches. A list missing here is costed at
``DEFAULT_LIST_BOUND`` and a test lists the schema's undeclared lists, so a new list field is
a decision, not an accident.

The bounds are realistic maxima (a body's services, a service's documents), not caps the
resolvers enforce: a list longer than declared is under-costed by its excess ratio. What keeps
that harmless is ``MAX_LIST_NESTING``: with at most three list levels on a path the error is
at most the cube of that ratio, never the unbounded product the issue's nested query reached.
"""

from __future__ import annotations

from asan.graphql.relay import DEFAULT_PAGE, MAX_PAGE

__all__ = [
    "DEFAULT_LIST_BOUND",
    "DEFAULT_PAGE",
    "FIELD_SURCHARGES",
    "LIST_BOUNDS",
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_FIELDS",
    "MAX_LIST_NESTING",
    "MAX_PAGE",
    "MAX_REPEATS",
    "MAX_TOKENS",
    "NAME_BOUNDS",
    "field_surcharge",
    "list_bound",
]

# Refused as GRAPHQL_VALIDATION_FAILED (the document's shape).
MAX_DEPTH = 12  # nested field levels below the root field (introspection fields not counted)
MAX_ALIASES = 30  # aliases in the operations, fragments counted once per spread
MAX_TOKENS = 4000  # lexical tokens; the parser stops at the limit

# Refused as QUERY_TOO_COMPLEX (what answering it would take).
MAX_FIELDS = 2000  # fields of the whole document after fragment expansion
MAX_REPEATS = 25  # fields sharing one response path (validation compares them pairwise)
MAX_LIST_NESTING = 3  # list levels (pages or lists) on one path: rows grow as their product

DEFAULT_LIST_BOUND = 50

LIST_BOUNDS: dict[str, int] = {
    "BodyCoverage.channels": 4,  # the four channels
    "BodyQuality.coverage": 10,
    "BodyQuality.weakest": 5,  # catalog/quality.py keeps the five weakest at most
    "ServiceQuality.criteria": 20,
    "ServiceQuality.missing": 20,
    "InformationSystem.consumesDataFrom": 50,
    "InformationSystem.dataConsumers": 50,
    "InformationSystemImpact.asanCentres": 30,
    "InformationSystemRecord.dataObjects": 100,  # systems/records.py MAX_DATA_OBJECTS
    "LinkInformationSystemsPayload.informationSystems": 100,
    "MobileBus.schedule": 50,
    "OrgUnit.children": 30,
    "OrgUnit.positions": 50,
    "Position.actingBy": 10,
    "Query.serviceCategories": 100,
    "Query.registryCoverage": 200,
    "RegistrationRequest.reviews": 10,
    "RegistrationRequest.defectDetails": 50,
    "RegistrationRequest.diff": 25,
    "Regulation.sections": 30,
    "Service.requiredDocuments": 10,
    "Service.legalBasis": 10,
    "Service.outputs": 5,
    "Service.asanCentres": 30,
    "Service.mobileBuses": 20,
    "Service.informationSystems": 10,
    "Service.categories": 5,
    "Service.versions": 50,
    "Service.registrationRequests": 10,
    "Service.dependencyPath": 10,
    "StateBody.services": 50,
    "StateBody.informationSystems": 50,
    "ChangeEvent.fields": 30,  # a service's API fields
    "Query.webhooks": 200,  # asan/integration/repository.py returns at most 200
    "Webhook.kinds": 20,  # the ChangeEntityKind values
    "XRoadService.serviceCodes": 200,  # systems/records.py MAX_SERVICE_CODES
    # document files (asan/edms/files)
    "Query.documentFiles": 200,  # repository.MAX_FILES_LISTED per document
    "DocumentFile.warnings": 20,  # models.MAX_WARNINGS
    "Document.files": 200,  # repository.MAX_FILES_LISTED per document
    # documents and journals (asan/edms/documents)
    "Document.allowedSteps": 10,  # flows.TRANSITIONS: at most a few steps from one state
    "Query.journals": 20,  # the seven seeded journals (nothing creates more)
    "Query.documentTimeline": 500,  # reads.TIMELINE_LIMIT
    # drafts and visas (asan/edms/drafts: checks.py and repository.py caps)
    "Draft.addressees": 200,  # checks.MAX_ADDRESSEES
    "Draft.attachmentTitles": 200,  # checks.MAX_ATTACHMENTS
    "Draft.route": 500,  # repository.HISTORY_LIMIT (replaced routes kept)
    "Draft.visas": 500,  # repository.HISTORY_LIMIT
    "Draft.formChecks": 100,  # repository.FORM_CHECK_LIMIT
    "Visa.reasons": 50,  # checks.MAX_REASONS
    "DraftFormCheck.reasons": 600,  # visas, attachments, 2 per addressee, registrar's own
    "DraftFormCheckPayload.reasons": 600,
    "Query.myPendingVisas": 200,  # reads.PENDING_VISAS_LIMIT
    # resolutions and execution control (asan/edms/resolutions)
    "Resolution.coExecutors": 20,  # use_cases.MAX_CO_EXECUTORS
    "Resolution.tasks": 100,  # main + co-executors + the tasks their forwarding created
    "ExecutionTask.extensions": 20,  # one pending at a time; a few over a task's life
    "Query.documentResolutions": 10,  # one per execution of the document
    # dispatch and certified copies (asan/edms/dispatch, asan/edms/copies)
    "Query.dispatchRegister": 200,  # dispatch settings max_addressees (default)
    "DispatchPayload.entries": 200,  # the same register
    "Query.documentDeliveries": 100,  # dispatch/reads.MAX_DELIVERIES
    "Query.certifiedCopies": 100,  # copies/repository.of_document LIMIT
    "CertifiedCopyVerification.problems": 5,
    # signatures (asan/edms/signatures): integrity, coverage, certificate, earlier signatures
    "SignatureVerification.problems": 10,
    # citizens' appeals and reports (asan/edms/appeals, asan/edms/reports)
    "Appeal.repeats": 20,  # reads.MAX_REPEATS
    "Appeal.repeatedBy": 20,  # reads.MAX_REPEATS
    "Query.executionDiscipline": 200,  # one row per org unit with tasks
    "Query.appealStatistics": 600,  # 12 months x (ASAN centres + 4 other channels)
    "RecordKeepingSummary.journals": 20,  # the seven seeded journals
    "Query.receptionSchedule": 60,  # reception/reads.MAX_SLOTS
    "ReceptionSlot.visits": 30,  # reception/models.MAX_CAPACITY
    # archive (asan/archive/cases): a status has at most two next steps
    "Case.allowedSteps": 2,
    "TransferInventory.cases": 500,  # asan.archive.transfer.models.MAX_CASES
    "Case.holds": 20,  # graphql/archive/holds.HOLDS_SHOWN: active first, then newest lifted
    "DestructionAct.cases": 500,  # asan.archive.disposition.acts.MAX_CASES
    "DestructionAct.commission": 500,  # one name per listed case at most
    "DisposalCalendarEntry.holds": 20,  # graphql/archive/disposition.MAX_HOLDS_SHOWN
    # full-text search (asan/search/querying, asan/graphql/search)
    "SearchHit.highlights": 2,  # whoosh_engine/results.SNIPPETS
    "SearchFacets.kind": 7,  # querying.models.KINDS
    "SearchFacets.unit": 50,  # querying.models.MAX_FACET_VALUES
    "SearchFacets.body": 50,
    "SearchFacets.year": 50,
    "SearchFacets.status": 50,
    "CompetentUnit.clauses": 3,  # suggest.ranking.CLAUSES_PER_UNIT
}

# Fields whose own work is far more than a row's: added once per use to the field's cost.
# A full-text search reads postings, counts facets and builds snippets (tens of milliseconds
# on a large index, against about a millisecond for a keyed Cypher read). 700 lets a page of
# 100 hits with a dozen fields each pass easily, and a document of 25 aliased searches, while
# 30 of them (the alias limit) are over the default cost limit before their pages are counted.
FIELD_SURCHARGES: dict[str, int] = {
    "Query.search": 700,
    "Query.moreLikeThis": 700,
    "Query.suggestCompetentUnit": 200,  # one RAM-index query over the regulations' clauses
    "Appeal.suggestedUnits": 50,  # the same query, per appeal of a page (x 100 for a full one)
}

# Lists that mean the same on every type that has them.
NAME_BOUNDS: dict[str, int] = {
    "userErrors": 20,
    "rejectedLines": 500,
}


def field_surcharge(type_name: str, field_name: str) -> int:
    """The extra cost of one use of a field (0 for most)."""
    return FIELD_SURCHARGES.get(f"{type_name}.{field_name}", 0)


def list_bound(type_name: str, field_name: str) -> int:
    """The declared size of an unpaged list field."""
    declared = LIST_BOUNDS.get(f"{type_name}.{field_name}")
    if declared is None:
        declared = NAME_BOUNDS.get(field_name, DEFAULT_LIST_BOUND)
    return declared
