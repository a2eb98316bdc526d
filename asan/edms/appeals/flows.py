"""The appeal's state machine, registered with the documents part's ``flows``.

An appeal is registered on receipt; it is answered (directly, or after a resolution sends it to
executors: resolve / complete belong to the resolutions part), forwarded to the competent state
body when outside the agency's competence, or left unconsidered (a repeated appeal without new
information after three substantive answers). ``extend`` keeps the status and moves the term.
After the outcome the controller removes it from control; then it is archived.
"""

from __future__ import annotations

from asan.edms.documents.flows import Table, register_kind

APPEAL_TABLE: Table = {
    "received": {"register": "registered"},
    "registered": {
        "answer": "answered",
        "forward": "forwarded",
        "extend": "registered",
        "leave_unconsidered": "left_unconsidered",
        "resolve": "in_execution",
    },
    "in_execution": {
        "answer": "answered",
        "forward": "forwarded",
        "extend": "in_execution",
        "complete": "executed",
    },
    "executed": {"answer": "answered", "extend": "executed"},
    "answered": {"remove_from_control": "closed"},
    "forwarded": {"remove_from_control": "closed"},
    "left_unconsidered": {"remove_from_control": "closed"},
    "closed": {"archive": "archived"},
    "archived": {},
}

# states whose answer term is still running (overdue when past dueDate)
OPEN_STATUSES = ("registered", "in_execution", "executed")

register_kind("appeal", APPEAL_TABLE)
