// graphql-inspector rule: breaking changes listed in docs/schema/accepted-breaking.json become
// "dangerous" (reported, not failing). The list holds the breaking changes agreed for the next
// release; it is emptied when that release's schema becomes docs/schema/released.graphql, so a
// change nobody listed always fails the check. See docs/schema.md.
const fs = require('fs');
const path = require('path');

const LIST = path.join(__dirname, '..', '..', 'docs', 'schema', 'accepted-breaking.json');

function accepted() {
  const entries = JSON.parse(fs.readFileSync(LIST, 'utf8')).accepted || [];
  return new Map(entries.map(e => [`${e.type} ${e.path}`, e.reason]));
}

module.exports = ({ changes }) => {
  const allowed = accepted();
  return changes.map(change => {
    const reason = allowed.get(`${change.type} ${change.path}`);
    if (change.criticality.level !== 'BREAKING' || reason === undefined) {
      return change;
    }
    return {
      ...change,
      criticality: { ...change.criticality, level: 'DANGEROUS', reason: `accepted: ${reason}` },
    };
  });
};
