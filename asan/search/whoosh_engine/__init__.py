"""The Whoosh engine behind ``asan.search.engine.SearchEngine``: the only Whoosh user besides
``asan.search.analysis`` (nothing outside ``asan/search`` imports Whoosh)."""

from asan.search.whoosh_engine.engine import WhooshEngine
from asan.search.whoosh_engine.gate import SearchBusy

__all__ = ["SearchBusy", "WhooshEngine"]
