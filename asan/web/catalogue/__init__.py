"""The public catalogue pages (issue 13, point 1): services, a service, centres and buses,
for anonymous callers in az/en/ru, reading through the registry's own read use cases with the
request's principal (docs/web-catalogue.md)."""
