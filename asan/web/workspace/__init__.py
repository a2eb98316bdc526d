"""The clerks' workspace pages (issue 13): the inbox and a document's page, read through the
EDMS read functions GraphQL uses, with the page principal (docs/web-workspace.md)."""
