"""The issue's baseline: plain Whoosh BM25 with ``StandardAnalyzer`` over whole regulations.

``regulation``: one document per regulation, ranked as the unit it regulates (the departments
and the centre; a sector cannot be named, its clauses are part of its department's document).
``unit``: one document per unit, its own clauses (sectors can be named), the same analyzer:
the fairer comparison with the clause method, since both rank the same candidates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import OrGroup, QueryParser
from whoosh.scoring import BM25F

from asan.search.suggest.analyzers import standard_analyzer
from asan.search.suggest.models import Corpus
from asan.search.suggest.ranking import MAX_QUERY_CHARS

BaselineMode = Literal["regulation", "unit"]


def _regulated_unit(key: str) -> str:
    return key.split(":", 1)[0].removeprefix("REG-")


class BaselineRanker:
    def __init__(self, corpus: Corpus, mode: BaselineMode = "regulation") -> None:
        texts: dict[str, list[str]] = defaultdict(list)
        for clause in corpus.clauses:
            owner = _regulated_unit(clause.key) if mode == "regulation" else clause.unit_code
            texts[owner].append(clause.text)
        self._index = RamStorage().create_index(
            Schema(unit=ID(stored=True), text=TEXT(analyzer=standard_analyzer()))
        )
        writer = self._index.writer()
        for unit, parts in sorted(texts.items()):
            writer.add_document(unit=unit, text="\n".join(parts))
        writer.commit()
        self._parser = QueryParser("text", self._index.schema, group=OrGroup)
        self._searcher = self._index.searcher(weighting=BM25F())

    def rank(self, text: str, limit: int = 3) -> list[str]:
        """Unit codes best first; the appeal parsed as plain words (quotes and operators
        stripped so that the parser's syntax cannot fail on what a citizen typed)."""
        words = "".join(ch if ch.isalnum() else " " for ch in text[:MAX_QUERY_CHARS])
        query = self._parser.parse(words)
        return [hit["unit"] for hit in self._searcher.search(query, limit=limit)]

    def close(self) -> None:
        self._searcher.close()
