"""The feed's enum of entity kinds (``ChangeEntityKind``), one value per kind of
``asan/integration/kinds.py``; kept apart from the feed's resolvers (``integration.py``) so
each module stays small as later domains add kinds."""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="Kind of entity a change event is about.")
class ChangeEntityKind(enum.Enum):
    SERVICE = strawberry.enum_value(
        "SERVICE",
        description="A state service (xidmət); drafts only for its body and the reviewers.",
    )
    STATE_BODY = strawberry.enum_value(
        "STATE_BODY", description="A state body (dövlət orqanı): ministry, committee, agency."
    )
    INFORMATION_SYSTEM = strawberry.enum_value(
        "INFORMATION_SYSTEM", description="A state information system (informasiya sistemi)."
    )
    ASAN_CENTRE = strawberry.enum_value(
        "ASAN_CENTRE", description="An ASAN service centre (ASAN xidmət mərkəzi)."
    )
    BUS_STOP = strawberry.enum_value(
        "BUS_STOP", description="A stop of the mobile ASAN buses (səyyar xidmət dayanacağı)."
    )
    MOBILE_BUS = strawberry.enum_value(
        "MOBILE_BUS", description="A mobile ASAN service bus (səyyar ASAN xidmət avtobusu)."
    )
    CATEGORY = strawberry.enum_value(
        "CATEGORY", description="A service category or life event (kateqoriya / həyat hadisəsi)."
    )
    EVIDENCE = strawberry.enum_value(
        "EVIDENCE", description="A document an applicant presents (tələb olunan sənəd)."
    )
    OUTPUT = strawberry.enum_value(
        "OUTPUT", description="A document a service issues (nəticə sənədi)."
    )
    LEGAL_ACT = strawberry.enum_value(
        "LEGAL_ACT", description="A legal act a service is based on (hüquqi akt)."
    )
    ORG_UNIT = strawberry.enum_value(
        "ORG_UNIT", description="A unit of the agency's org structure (struktur bölmə)."
    )
    REGULATION = strawberry.enum_value(
        "REGULATION", description="An approved regulation (əsasnamə) of an org unit."
    )
    CLAUSE = strawberry.enum_value("CLAUSE", description="A clause (bənd) of a regulation.")
    POSITION = strawberry.enum_value("POSITION", description="A position (vəzifə) in an org unit.")
    REGISTRATION_REQUEST = strawberry.enum_value(
        "REGISTRATION_REQUEST",
        description="A registration request (qeydiyyat müraciəti): its body, reviewers.",
    )
    WEBHOOK = strawberry.enum_value(
        "WEBHOOK", description="A webhook subscriber: its body's editors and systems."
    )
    DOCUMENT_DELIVERY = strawberry.enum_value(
        "DOCUMENT_DELIVERY",
        description=(
            "A document the agency dispatched to a state body's system (sənədin çatdırılması): "
            "the addressee body's editors and systems only. Its id is the delivery id "
            "(`documentDelivery(id:)`); webhook deliveries carry the document's registration, "
            "the file's SHA-256 and where to fetch it."
        ),
    )
    DELEGATION = strawberry.enum_value(
        "DELEGATION", description="A head's delegation to a deputy (səlahiyyət həvaləsi): internal."
    )
    USER = strawberry.enum_value(
        "USER", description="A user account: internal (administrators and auditors)."
    )
    SERVICE_ACCOUNT = strawberry.enum_value(
        "SERVICE_ACCOUNT", description="Another system's service account: internal."
    )
    DOCUMENT = strawberry.enum_value(
        "DOCUMENT", description="A registered or drafted document (sənəd): internal."
    )
    DOCUMENT_FILE = strawberry.enum_value(
        "DOCUMENT_FILE", description="A stored version of a document's file: internal."
    )
    JOURNAL = strawberry.enum_value(
        "JOURNAL", description="A registration journal (qeydiyyat jurnalı): internal."
    )
    RESOLUTION = strawberry.enum_value(
        "RESOLUTION", description="A head's resolution on a document (dərkənar): internal."
    )
    EXECUTION_TASK = strawberry.enum_value(
        "EXECUTION_TASK",
        description="An executor's part of a resolution (icra tapşırığı): internal.",
    )
    DEADLINE_EXTENSION = strawberry.enum_value(
        "DEADLINE_EXTENSION", description="A request to extend an execution deadline: internal."
    )
    VISA = strawberry.enum_value("VISA", description="A visa (viza) on a draft: internal.")
    SIGNATURE = strawberry.enum_value(
        "SIGNATURE", description="A signature of a document (imza): internal."
    )
    CERTIFIED_COPY = strawberry.enum_value(
        "CERTIFIED_COPY", description="A certified copy (Əslinə uyğundur): internal."
    )
    NOMENCLATURE = strawberry.enum_value(
        "NOMENCLATURE", description="A year's nomenclature of cases (nomenklatura): internal."
    )
    ARCHIVE_CASE = strawberry.enum_value(
        "ARCHIVE_CASE", description="A case (iş) of the nomenclature: internal."
    )
    ARCHIVE_EXPORT = strawberry.enum_value(
        "ARCHIVE_EXPORT",
        description="A permanent case's BagIt export for the State Archive: internal.",
    )
    TRANSFER_INVENTORY = strawberry.enum_value(
        "TRANSFER_INVENTORY",
        description="A transfer inventory (təhvil siyahısı) of cases to the archive: internal.",
    )
    DISPOSAL_DECISION = strawberry.enum_value(
        "DISPOSAL_DECISION",
        description="The expert commission's decision on a case due for disposal: internal.",
    )
    DESTRUCTION_ACT = strawberry.enum_value(
        "DESTRUCTION_ACT",
        description="A destruction act (məhv etmə aktı) and its execution: internal.",
    )
    FIXITY_REPORT = strawberry.enum_value(
        "FIXITY_REPORT",
        description="A fixity audit's report (archive integrity check): internal.",
    )
    ARCHIVE_HOLD = strawberry.enum_value(
        "ARCHIVE_HOLD",
        description="A hold on an archive case (litigation or investigation): internal.",
    )
