"""Documents: registration journals and numbering, cards, the state machine, the timeline,
who may see a document. The contract the other EDMS parts code against (docs/edms.md)."""

from asan.edms.documents import policy as policy
