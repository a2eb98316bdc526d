"""GraphQL root fields of the org domain: thin resolvers that call the domain service."""

QUERIES: list[type] = []
MUTATIONS: list[type] = []
