"""Local demo users that ``make run`` creates (dev profile only; refused in production).

All share the password ``asan-demo-2026`` (documented here and printed by ``asan seed``):

| username       | roles / position                                      |
|----------------|-------------------------------------------------------|
| demo.admin     | administrator                                         |
| demo.auditor   | auditor                                               |
| demo.reviewer  | registry_reviewer                                     |
| demo.registrar | registrar                                             |
| demo.editor    | state_body_editor of state body DIN                   |
| demo.head      | head of the IT Department (position DEPT-IT-HEAD)     |
| demo.deputy    | its deputy (DEPT-IT-DEPUTY), acting head on delegation |
| demo.legal     | legal_expert, signatory                               |
| demo.chairman  | signatory, the Agency's chairman (AGENCY-CHAIRMAN)    |
| demo.clerk     | registrar of the EDMS department (DEPT-EDMS-STAFF)    |
| demo.sector    | executor, IT sector head (DEPT-IT-SEC-2-HEAD)         |
| demo.it1       | executor in the IT Department (DEPT-IT-STAFF)         |
| demo.it2       | executor in the IT Department (DEPT-IT-STAFF)         |
| demo.lawyer    | legal_expert in Legal Support (DEPT-LEGAL-STAFF)      |
| demo.archivist | archivist                                             |
| demo.expert    | archive_expert: the expert commission (disposition)   |

Clearances: demo.chairman state_secret; demo.clerk, demo.head, demo.deputy and demo.it1
service_secret; everyone else public. The sample documents (``asan/edms/sample/``) are made by
these people; ``docs/edms-sample.md`` says what to try first.

Sign in: ``POST /oauth/token`` with ``grant_type=password&username=demo.admin&password=...``
or the GraphQL mutation ``login``. Positions are granted when the org structure is loaded.
"""

from __future__ import annotations

from datetime import UTC, datetime

from asan.auth.accounts import create_user, grant_position
from asan.auth.models import NewUser, PositionGrant
from asan.auth.principal import SYSTEM
from asan.core.errors import Conflict, NotFound
from asan.core.platform import Platform

DEMO_PASSWORD = "asan-demo-2026"  # noqa: S105 - documented local demo credential, dev only

DEMO_USERS: tuple[tuple[str, str, frozenset[str], str | None, str | None], ...] = (
    ("demo.admin", "Demo Administrator", frozenset({"administrator"}), None, None),
    ("demo.auditor", "Demo Auditor", frozenset({"auditor"}), None, None),
    ("demo.reviewer", "Demo Reviewer", frozenset({"registry_reviewer"}), None, None),
    ("demo.registrar", "Demo Registrar", frozenset({"registrar"}), None, None),
    ("demo.editor", "Demo Editor (DIN)", frozenset({"state_body_editor"}), "DIN", None),
    ("demo.head", "Demo Head of IT", frozenset(), None, "DEPT-IT-HEAD"),
    ("demo.deputy", "Demo Deputy Head of IT", frozenset(), None, "DEPT-IT-DEPUTY"),
    ("demo.legal", "Demo Legal Expert", frozenset({"legal_expert", "signatory"}), None, None),
    # document circulation (issue 10): one person for each role of a document's way
    ("demo.chairman", "Demo Chairman", frozenset({"signatory"}), None, "AGENCY-CHAIRMAN"),
    ("demo.clerk", "Demo EDMS Registrar", frozenset({"registrar"}), None, "DEPT-EDMS-STAFF"),
    ("demo.sector", "Demo IT Sector Head", frozenset({"executor"}), None, "DEPT-IT-SEC-2-HEAD"),
    ("demo.it1", "Demo IT Executor 1", frozenset({"executor"}), None, "DEPT-IT-STAFF"),
    ("demo.it2", "Demo IT Executor 2", frozenset({"executor"}), None, "DEPT-IT-STAFF"),
    ("demo.lawyer", "Demo Lawyer", frozenset({"legal_expert"}), None, "DEPT-LEGAL-STAFF"),
    ("demo.archivist", "Demo Archivist", frozenset({"archivist"}), None, None),
    ("demo.expert", "Demo Archive Expert", frozenset({"archive_expert"}), None, None),
)

# Clearances above public (the sample secret document needs cleared people on its way).
DEMO_CLEARANCES: dict[str, str] = {
    "demo.chairman": "state_secret",
    "demo.clerk": "service_secret",
    "demo.head": "service_secret",
    "demo.deputy": "service_secret",
    "demo.it1": "service_secret",
}


async def load_demo_users(platform: Platform) -> str:
    if platform.settings.is_production:
        raise RuntimeError("demo users are never created in production")
    created: list[str] = []
    today = datetime.now(UTC).date().isoformat()
    for username, name, roles, body, position in DEMO_USERS:
        try:
            await create_user(
                platform,
                SYSTEM,
                NewUser(
                    username,
                    name,
                    DEMO_PASSWORD,
                    roles,
                    state_body=body,
                    clearance=DEMO_CLEARANCES.get(username, "public"),
                ),
            )
        except Conflict:
            continue
        created.append(username)
        if position is not None:
            try:
                await grant_position(platform, SYSTEM, PositionGrant(username, position, today))
            except NotFound:
                pass  # org structure not loaded: the user simply holds no position
    if not created:
        return "demo users: already present"
    return f"demo users: {', '.join(created)} (password {DEMO_PASSWORD!r}, dev only)"
