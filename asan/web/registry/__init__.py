"""Registry work for state bodies: drafts, submission, change requests (docs/web-registry.md)."""
