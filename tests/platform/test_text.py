"""Azerbaijani text rules: folding of I/İ, NFC, control characters."""

import itertools
import unicodedata

from asan.core.text import (
    az_lower,
    az_sort_key,
    az_upper,
    clean,
    fold,
    normalize,
    search_fold,
    search_text,
)


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


# ------------------------------------------------------------- Azerbaijani order and lookup

# Independent of the key function: the alphabet as the issue states it, compared letter by
# letter after lower-casing by hand the Azerbaijani way.
ALPHABET = "a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z".split()


def _by_alphabet(word: str) -> list[int]:
    lower = "".join("ı" if c == "I" else "i" if c == "İ" else c.lower() for c in word)
    return [ALPHABET.index(c) for c in lower]


def test_az_sort_key_orders_by_the_azerbaijani_alphabet() -> None:
    words = [
        "Dövlət", "Dəfn", "Üzv", "Əmlak", "Xarici", "Hüquq", "İnsan", "Ilıq", "Qeyd", "Kitab",
        "Çək", "Cəza", "Ğ", "Gəlir", "Şəhər", "Sənəd", "Zəng", "Yol", "Ov", "Ödəniş", "ata",
        "Ata", "at",
    ]  # fmt: skip
    assert sorted(words, key=az_sort_key) == sorted(words, key=lambda w: (_by_alphabet(w), w))
    # each letter of the alphabet sorts strictly after the one before it, in both cases
    for before, after in itertools.pairwise(ALPHABET):
        assert az_sort_key(before) < az_sort_key(after)
    assert az_sort_key("I") < az_sort_key("i") and az_sort_key("ı") < az_sort_key("İ")
    # total: different texts never share a key, case and accents only break ties
    assert len({az_sort_key(w) for w in ["ab", "Ab", "AB", "áb"]}) == 4
    assert az_sort_key("ab") < az_sort_key("ac") and az_sort_key("Ab") < az_sort_key("ac")
    # a name sorts before the longer names it starts; spaces and digits before letters
    assert az_sort_key("Bakı") < az_sort_key("Bakı 2") < az_sort_key("Bakıda")
    assert az_sort_key("Bakı 1") < az_sort_key("Bakı 2") < az_sort_key("Bakı A")
    # the letters' weights stay below the surrogates, so code-point, UTF-16 and UTF-8 orders
    # of keys agree (whichever Neo4j uses)
    primary = az_sort_key("Ёлка 𝔘 ✓ Ə 7").split("\x01")[0]
    assert len(primary) == len("Ёлка 𝔘 ✓ Ə 7") and all(ord(c) < 0xD800 for c in primary)


def test_search_fold_drops_case_and_azerbaijani_letters() -> None:
    pairs = {
        "seyyar": "Səyyar",
        "gomruk": "GÖMRÜK",
        "dogum": "Doğum",
        "surucu": "sürücü",
        "edliyye": "ƏDLİYYƏ",
        "ictimai": "İctimai",
        "baki": "BAKI",
        "елка": "Ёлка",
        "cek": "Çək",
        "seher": "şəhər",
    }
    for plain, written in pairs.items():
        assert search_fold(written) == search_fold(plain) == plain
    text = search_text("Doğum", "Birth", "Рождение", "EDL-001")
    assert "dogum" in text and "birth" in text and "рождение" in text and "edl-001" in text
    assert "birth\nрож" in text and "dogumbirth" not in text
