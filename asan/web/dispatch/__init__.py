"""Dispatch pages: the mailing list, the dispatch register and its outcomes, certified copies."""
