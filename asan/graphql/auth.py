"""GraphQL root fields of the auth domain: thin resolvers that call the domain service."""

QUERIES: list[type] = []
MUTATIONS: list[type] = []
