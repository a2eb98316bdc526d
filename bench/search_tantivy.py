"""tantivy, a reference only (not a dependency of the system; ``pip install .[bench]``).

Text is pre-analysed with OUR analyzer (the exact and loose terms, ambiguous endings at one
position, stop words dropped) and handed to tantivy as ``PreTokenizedString``s, so tantivy
matches exactly the terms Whoosh does and the comparison is of the engines, not the
analyzers. Queries are built like the raw Whoosh ones (``bench.search_raw``): the four text
fields with the same boosts, prefixes expanded over the term dictionary, phrases with every
reading of a position, the access tokens and filters as a required part of a boolean query;
the five facets are a terms aggregation over the same query. No snippets: tantivy's snippet
generator re-tokenizes the stored text with a registered tokenizer, which pre-analysed
fields do not have.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import tantivy

from asan.core.text import normalize
from asan.search.analysis import analyze, exact_form, loose_form
from asan.search.analysis.analyzer import azerbaijani_analyzer
from asan.search.engine import SearchDoc
from bench.search_corpus import BenchQuery
from bench.search_raw import FIELDS, LIMIT

PREFIX_TERMS: Final = 256  # a bound of our own: tantivy-py expands prefixes by listing terms
FACETS: Final = ("kind", "unit", "state_body", "year", "status")


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
    for field, _, _ in FIELDS:
        builder.add_text_field(field, tokenizer_name="raw", index_option="position")
    for facet in ("kind", "unit", "state_body", "status", "acl"):
        builder.add_text_field(facet, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", fast=True, indexed=True)
    return builder.build()


def _tokens(text: str, form: str) -> tantivy.PreTokenizedString:
    tokens = [
        tantivy.Token(t.text, t.pos, t.startchar, t.endchar)
        for t in azerbaijani_analyzer(form)(text, positions=True, chars=True)  # type: ignore[arg-type]
    ]
    return tantivy.PreTokenizedString(text, tokens)


def build(path: Path, docs: Iterable[SearchDoc]) -> int:
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema(), path=str(path))
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    count = 0
    for doc in docs:
        title, body = normalize(doc.title), normalize(doc.body)
        out = tantivy.Document()
        out.add_text("key", f"{doc.kind}\x1f{doc.id}")
        out.add_text("title", title)
        for field, form, _ in FIELDS:
            out.add_pre_tokenized_text(field, _tokens(title if "title" in field else body, form))
        for facet in ("kind", "unit", "state_body", "status"):
            value = getattr(doc, facet)
            if value is not None:
                out.add_text(facet, value)
        for token in sorted(doc.acl):
            out.add_text("acl", token)
        if doc.year is not None:
            out.add_integer("year", doc.year)
        writer.add_document(out)
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


class Tantivy:
    def __init__(self, path: Path) -> None:
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _terms(self, field: str, texts: Iterable[str], boost: float) -> tantivy.Query:
        subs = [
            (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, field, t)) for t in texts
        ]
        return tantivy.Query.boost_query(tantivy.Query.boolean_query(subs), boost)

    def _word(self, word: str) -> tantivy.Query | None:
        parts = []
        for field, form, boost in FIELDS:
            positions = analyze(word, form)  # type: ignore[arg-type]
            if not positions:
                return None
            parts.append((tantivy.Occur.Should, self._terms(field, positions[0], boost)))
        return tantivy.Query.boolean_query(parts)

    def _prefix(self, word: str) -> tantivy.Query:
        parts = []
        for field, form, boost in FIELDS:
            prefix = exact_form(word) if form == "exact" else loose_form(word)
            found = self.searcher.terms_with_prefix(field, prefix, limit=PREFIX_TERMS)
            if found:
                parts.append(
                    (tantivy.Occur.Should, self._terms(field, [t for t, _ in found], boost))
                )
        return tantivy.Query.boolean_query(parts) if parts else tantivy.Query.empty_query()

    def _phrase(self, text: str) -> tantivy.Query | None:
        parts = []
        for field, form, boost in FIELDS:
            positions = analyze(text, form)  # type: ignore[arg-type]
            if not positions:
                return None
            if len(positions) == 1:
                parts.append((tantivy.Occur.Should, self._terms(field, positions[0], boost)))
                continue
            # tantivy's phrase takes one term per position: one phrase per combination of
            # readings (at most a few: ambiguous endings are rare).
            combos: list[list[str | tuple[int, str]]] = [[]]
            for alternatives in positions:
                combos = [[*c, a] for c in combos for a in alternatives][:8]
            for combo in combos:
                phrase = tantivy.Query.phrase_query(self.schema, field, combo)
                parts.append((tantivy.Occur.Should, tantivy.Query.boost_query(phrase, boost)))
        return tantivy.Query.boolean_query(parts)

    def _text(self, q: BenchQuery) -> tantivy.Query | None:
        text = q.text.strip()
        if text.startswith('"'):
            return self._phrase(text.strip('"'))
        if text.endswith("*"):
            return self._prefix(text[:-1])
        words = [c for c in (self._word(w) for w in text.split()) if c is not None]
        if not words:
            return None
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, w) for w in words])

    def _filter(self, q: BenchQuery) -> list[tuple[Any, tantivy.Query]]:
        must = tantivy.Occur.Must
        parts = [(must, tantivy.Query.term_set_query(self.schema, "acl", sorted(q.caller.access)))]
        if q.kinds:
            parts.append((must, tantivy.Query.term_set_query(self.schema, "kind", sorted(q.kinds))))
        if q.units:
            parts.append((must, tantivy.Query.term_set_query(self.schema, "unit", sorted(q.units))))
        if q.years:
            parts.append((must, tantivy.Query.term_set_query(self.schema, "year", sorted(q.years))))
        return parts

    def search(self, q: BenchQuery) -> int:
        text = self._text(q)
        if text is None:
            return 0
        const = tantivy.Occur.Must
        filters = [(o, tantivy.Query.const_score_query(f, 0.0)) for o, f in self._filter(q)]
        query = tantivy.Query.boolean_query([(const, text), *filters])
        result = self.searcher.search(query, LIMIT, count=True)
        for _, address in result.hits:
            self.searcher.doc(address)
        self.searcher.aggregate(
            query, {name: {"terms": {"field": name, "size": 50}} for name in FACETS}
        )
        return int(getattr(result, "count", 0) or 0)
