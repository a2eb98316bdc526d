"""Citizens' appeals and the reception schedule in the clerks' workspace (issue 13): pages over
the appeal and reception use cases GraphQL calls (docs/web-appeals.md)."""
