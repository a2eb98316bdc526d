"""Competent-unit suggestion for citizens' appeals (issue 12, point 6).

An appeal's words are matched against every clause of the agency's regulations (the org
structure imported into Neo4j); units (departments, sectors, the centre) are ranked by their
best-matching clauses, and each suggestion names the clauses that matched. See
docs/search-suggest.md for the method, the labelled appeals and the figures.
"""

from asan.search.suggest.models import ClauseMatch, Corpus, UnitSuggestion
from asan.search.suggest.ranking import UnitSuggester
from asan.search.suggest.service import load_suggester

__all__ = ["ClauseMatch", "Corpus", "UnitSuggester", "UnitSuggestion", "load_suggester"]
