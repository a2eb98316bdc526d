"""Fixed vocabulary of the CPSV-AP export: the embedded JSON-LD context and shared concepts.

The context holds prefixes only, so the document is self-contained (a reader or validator
never fetches the SEMIC context over the network) and every property reads as its CPSV-AP
name (``cv:hasCost``, ``dct:title``). EU authority tables name the country and currency.
"""

from __future__ import annotations

from typing import Final

CONTEXT: Final = {
    "adms": "http://www.w3.org/ns/adms#",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

COUNTRY_AZE: Final = "http://publications.europa.eu/resource/authority/country/AZE"
CURRENCY_AZN: Final = "http://publications.europa.eu/resource/authority/currency/AZN"

# (suffix of a name/description property, language tag)
LANGUAGES: Final = (("Az", "az"), ("En", "en"), ("Ru", "ru"))

CHANNEL_LABELS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "ASAN_CENTRE": (("az", '"ASAN xidmət" mərkəzi'), ("en", "ASAN service centre")),
    "MOBILE_BUS": (("az", 'Səyyar "ASAN xidmət"'), ("en", "ASAN mobile service bus")),
    "ONLINE": (("az", "Elektron xidmət"), ("en", "Online service")),
    "CALL_CENTRE_108": (("az", "108 Çağrı Mərkəzi"), ("en", "Call centre 108")),
}

WEEKDAYS: Final = ("B.e.", "Ç.a.", "Ç.", "C.a.", "C.", "Ş.", "B.")  # Monday .. Sunday
