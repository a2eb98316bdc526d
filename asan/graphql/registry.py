"""GraphQL root fields of the registry domain: thin resolvers that call the domain service."""

QUERIES: list[type] = []
MUTATIONS: list[type] = []
