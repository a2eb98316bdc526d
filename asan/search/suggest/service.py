"""The suggestion as the rest of the system uses it: built from the clauses in Neo4j.

``load_suggester`` reads the org structure once and builds the RAM index (under a second or
two); the caller keeps the suggester and asks it any number of times
(``suggester.suggest_units(text, limit=3)``). A re-imported regulations text needs a new
suggester: the later indexer (issue 12, point 5) moves the clauses into the main index and
makes this reload unnecessary.
"""

from __future__ import annotations

import asyncio

from asan.core.platform import Platform
from asan.search.suggest.analyzers import field_set
from asan.search.suggest.corpus import load_corpus
from asan.search.suggest.ranking import Aggregate, UnitSuggester
from asan.search.suggest.synonyms import SYNONYM_WEIGHT

# The method (docs/search-suggest.md, bench_suggest): 5-letter prefixes without the light
# verbs, a unit's two best clauses, divided by the square root of its background, with the
# everyday-words list at half weight.
DEFAULT_FIELDS = "prefix-lv"
DEFAULT_AGGREGATE: Aggregate = "top2"
DEFAULT_BACKGROUND = 0.5


async def load_suggester(
    platform: Platform,
    *,
    fields: str = DEFAULT_FIELDS,
    aggregate: Aggregate = DEFAULT_AGGREGATE,
    skip_common: bool = True,
    background: float = DEFAULT_BACKGROUND,
    synonym_weight: float = SYNONYM_WEIGHT,
) -> UnitSuggester:
    corpus = await load_corpus(platform.db)
    return await asyncio.to_thread(
        UnitSuggester,
        corpus,
        field_set(fields),
        aggregate=aggregate,
        skip_common=skip_common,
        background=background,
        synonym_weight=synonym_weight,
    )
