"""The web pages (issue 13): the public catalogue and the clerks' workspace, server-rendered
with Jinja2 and htmx, served by the same Starlette app and calling the same use cases and
policy as GraphQL (docs/web.md)."""
