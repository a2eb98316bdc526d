"""Azerbaijani text rules: folding of I/İ, NFC, control characters."""

import unicodedata

from asan.core.text import az_lower, az_upper, clean, fold, normalize


def test_dotted_and_dotless_i_fold_the_azerbaijani_way() -> None:
    assert az_lower("İNFORMASİYA") == "informasiya"
    assert az_lower("IŞIQ") == "ışıq"
    assert az_upper("ilçə ışıq") == "İLÇƏ IŞIQ"
    assert fold("İsmayıllı") == fold("iSMAYILLI")
    assert fold("İsmayıllı") != "İsmayıllı".lower()  # str.lower leaves a combining dot


def test_normalize_composes_and_trims() -> None:
    decomposed = unicodedata.normalize("NFD", "  Şəki  ")
    assert normalize(decomposed) == "Şəki"
    assert len(normalize(decomposed)) == 4


def test_clean_names_the_field() -> None:
    _, err = clean("ab\x00c", "nameAz", max_length=10)
    assert err is not None and err.field == "nameAz" and "control" in err.message
    _, err = clean("x" * 11, "nameAz", max_length=10)
    assert err is not None and "10" in err.message
    value, err = clean(" Gəncə ", "nameAz", max_length=10)
    assert (value, err) == ("Gəncə", None)
    _, err = clean("  ", "code", max_length=5)
    assert err is not None and "empty" in err.message
