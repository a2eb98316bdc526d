"""The Azerbaijani analyzer on words taken from the agency's regulations.

Words come from data/asan-regulations.az.txt (the approved regulations the org structure is
imported from); the last tests run the analyzer over that whole text.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from asan.search.analysis import (
    analyze,
    azerbaijani_analyzer,
    exact_form,
    is_stop_word,
    loose_form,
    stem,
    stems,
)

SEED = Path(__file__).resolve().parents[2] / "data" / "asan-regulations.az.txt"
AZ_LETTERS = set("əıöüşçğ")


def terms(text: str, form: str = "exact") -> list[str]:
    return [term for position in analyze(text, form) for term in position]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("word", "exact", "loose"),
    [
        ("İcra", "icra", "icra"),
        ("ICRA", "ıcra", "icra"),
        ("ŞİKAYƏT", "şikayət", "sikayet"),
        ("Səyyar", "səyyar", "seyyar"),
        ("İlham", "ilham", "ilham"),
        ("ILHAM", "ılham", "ilham"),
        ("Dövriyyəsi", "dövriyyəsi", "dovriyyesi"),
        ("ÇAĞIRIŞ", "çağırış", "cagiris"),
        ("Üzrə", "üzrə", "uzre"),
    ],
)
def test_turkic_case_folding_and_the_loose_form(word: str, exact: str, loose: str) -> None:
    assert exact_form(word) == exact
    assert loose_form(word) == loose


def test_the_loose_form_types_e_for_schwa_never_a() -> None:
    assert loose_form("Vətəndaşların") == "vetendaslarin"
    assert "a" not in loose_form("ə") and loose_form("ə") == "e"


def test_decomposed_letters_are_one_letter() -> None:
    decomposed = unicodedata.normalize("NFD", "Şikayət")
    assert terms(decomposed) == ["şikayət"]
    assert terms(decomposed, "loose") == ["sikayet"]


@pytest.mark.parametrize(
    ("word", "stem_"),
    [
        ("vətəndaşların", "vətəndaş"),
        ("vətəndaşlara", "vətəndaş"),
        ("müraciətlərə", "müraciət"),
        ("müraciətləri", "müraciət"),
        ("xidmətlərin", "xidmət"),
        ("xidmətlərindən", "xidmət"),
        ("sənədlərin", "sənəd"),
        ("mərkəzlərində", "mərkəz"),
        ("dövriyyəsi", "dövriyyə"),
        ("respublikasının", "respublika"),
        ("kabinetinin", "kabinet"),
        ("orqanları", "orqan"),
        ("şikayəti", "şikayət"),
        ("agentliyinin", "agentlik"),
        ("fəaliyyətində", "fəaliyyət"),
        ("işlərində", "iş"),
        ("məsələlər", "məsələ"),
        ("icrası", "icra"),
        ("icraya", "icra"),
    ],
)
def test_noun_endings_are_stripped(word: str, stem_: str) -> None:
    assert stem(word) == stem_
    assert stem(loose_form(word), loose=True) == loose_form(stem_)


@pytest.mark.parametrize(
    "word", ["səyyar", "xidmət", "icra", "ərizə", "dövriyyə", "vergi", "qanun", "orqan", "iş"]
)
def test_bare_nouns_keep_their_stem(word: str) -> None:
    """Conservative: nouns ending in a vowel, -un, -an are not cut (no "icr", "qan", "orqa")."""
    assert stems(word)[0] == word


def test_short_words_are_never_cut_to_nothing() -> None:
    for word in ["ad", "evdə", "ilə", "a", "ın", "lar", "dan"]:
        assert stem(word) == word
    assert all(len(s) >= 2 for s in stems("adlar"))


def test_ambiguous_endings_keep_both_readings() -> None:
    """ "qanunun" is qanun+un, "Bakının" is Bakı+nın: both readings are indexed."""
    assert "qanun" in stems("qanunun")
    assert "bakı" in stems("bakının")
    assert "orqan" in stems("orqanın")


def test_stop_words_are_dropped_in_any_spelling() -> None:
    assert is_stop_word("və") and is_stop_word("VE") and is_stop_word("üçün")
    assert is_stop_word("ucun")
    assert not is_stop_word("xidmət")
    assert terms("və ilə üçün") == []
    assert terms("ve ile ucun", "loose") == []


def test_positions_close_up_over_stop_words_and_ambiguous_stems_share_one() -> None:
    positions = analyze("sənədlərin və qanunun dövriyyəsi")
    assert positions[0] == ["sənəd"]
    assert "qanun" in positions[1]
    assert positions[2][0] == "dövriyyə"


def test_apostrophes_drop_the_ending_and_hyphens_split() -> None:
    assert terms("ASAN’ın") == ["asan"]
    assert terms("ASAN'ın mərkəzi") == ["asan", "mərkəz"]
    assert terms("2013-cü il") == ["2013", "il"]
    assert terms("sosial-iqtisadi") == ["sosial", "iqtisad"]


def test_whooshs_traps_are_avoided() -> None:
    """No combining dot after i, no "ə" -> "a", I -> ı in the exact form."""
    out = terms("İNNOVASİYA ƏSASNAMƏ", "exact") + terms("İNNOVASİYA ƏSASNAMƏ", "loose")
    assert all("\u0307" not in t for t in out)
    assert terms("ƏSASNAMƏ", "loose") == ["esasname"]
    assert terms("İcra") == terms("icra") != terms("ICRA")
    assert terms("ICRA", "loose") == terms("İcra", "loose")


def test_character_offsets_point_into_the_text() -> None:
    text = "Vətəndaşların müraciətləri"
    tokens = [
        (t.text, text[t.startchar : t.endchar])
        for t in azerbaijani_analyzer("loose")(text, positions=True, chars=True)
    ]
    assert tokens == [("vetendas", "Vətəndaşların"), ("muraciet", "müraciətləri")]


def test_typed_without_letters_meets_the_written_text() -> None:
    for typed, written in [
        ("seyyar xidmet", "səyyar xidmət"),
        ("vetendaslarin muracietleri", "vətəndaşların müraciətləri"),
        ("SENEDLERIN DOVRIYYESI", "sənədlərin dövriyyəsi"),
        ("Ilham", "İlham"),
        ("sikayetler", "ŞİKAYƏT"),
    ]:
        assert set(terms(typed, "loose")) & set(terms(written, "loose")), typed


@pytest.fixture(scope="module")
def regulation_words() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return sorted(set(re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text))))


def test_every_regulation_word_gets_a_sane_stem(regulation_words: list[str]) -> None:
    """Over the whole seed: a stem is a non-empty beginning of its word (up to k/q restored
    from y/ğ), loose stems have no Azerbaijani letters, and at most two readings."""
    assert len(regulation_words) > 1000
    for word in regulation_words:
        folded = exact_form(word)
        for form, loose in ((folded, False), (loose_form(word), True)):
            readings = stems(form, loose=loose)
            assert 1 <= len(readings) <= 2 + 1, word
            for reading in readings:
                assert reading and form.startswith(reading[:-1]), (word, reading)
                assert len(reading) >= min(len(form), 2), (word, reading)
            if loose:
                assert not AZ_LETTERS & set("".join(readings)), word


def test_the_regulations_read_the_same_typed_with_or_without_letters(
    regulation_words: list[str],
) -> None:
    """The loose field of a text equals the loose field of the same text without letters."""
    text = " ".join(regulation_words)
    assert analyze(text, "loose") == analyze(loose_form(text), "loose")
