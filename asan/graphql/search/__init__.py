"""GraphQL of full-text search (issue 12): ``search``, ``moreLikeThis``,
``suggestCompetentUnit``; the appeal's ``suggestedUnits`` reuses ``suggestions``."""

from __future__ import annotations

from asan.graphql.search.queries import SearchQueries

QUERIES: list[type] = [SearchQueries]
MUTATIONS: list[type] = []
