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


def test_clean_refuses_bidi_controls_naming_the_field() -> None:
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        _, err = clean(f"Bakı{ch}evil", "nameAz", max_length=50)
        assert err is not None, repr(ch)
        assert err.field == "nameAz" and "bidi" in err.message


def test_clean_refuses_zero_width_characters_including_zwnj() -> None:
    for ch in "\u200b\u200c\u200d\u2060\ufeff":
        _, err = clean(f"Gən{ch}cə", "descriptionAz", max_length=50, multiline=True)
        assert err is not None, repr(ch)
        assert err.field == "descriptionAz" and "zero-width" in err.message


def test_clean_refuses_a_lone_surrogate_as_a_field_error() -> None:
    _, err = clean("abc\ud800", "nameEn", max_length=50)
    assert err is not None and err.field == "nameEn" and "surrogate" in err.message


def test_clean_keeps_ordinary_azerbaijani_and_cyrillic_text() -> None:
    for text in ("Şəxsiyyət vəsiqəsi", "Удостоверение личности", "İsmayıllı – Qəbələ"):
        value, err = clean(text, "nameAz", max_length=50)
        assert (value, err) == (text, None)


def test_storable_key_keeps_short_text_and_hashes_long_or_unencodable_text() -> None:
    from asan.core.text import storable_key

    assert storable_key("aysel|127.0.0.1", 256) == "aysel|127.0.0.1"
    long = storable_key("Ə" * 5000, 200, keep=64)
    assert long.startswith("Ə" * 64 + "…sha256:") and len(long) < 200
    assert storable_key("Ə" * 5000, 200, keep=64) == long  # stable: the same key every time
    assert storable_key("Ə" * 4999 + "ə", 200, keep=64) != long
    surrogate = storable_key("a" * 70 + "\ud800", 256, keep=64)
    assert surrogate.startswith("a" * 64 + "…sha256:")
    surrogate.encode("utf-8")  # storable
    assert storable_key("\ud800x", 256, keep=64).startswith("sha256:")
