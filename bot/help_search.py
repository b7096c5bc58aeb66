"""Help centres for a person: find the place they mean, search, and build the answer payload.

Used by the front end (a shared location: rounded, used once, never stored) and by
the `action_find_help` Rasa action (a town named in the message). Pure functions over
the directory (bot/directory/) plus one lazily opened read-only connection.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

from bot.directory.gazetteer import find_city, load_gazetteer, lookup, uninflect
from bot.directory.search import HelpCentre, nearest
from bot.directory.store import connect, default_db_path

REPO_ROOT = Path(__file__).resolve().parent.parent
KEYWORDS_FILE = REPO_ROOT / "data" / "directory" / "service_keywords.yml"
TAXONOMY_FILE = REPO_ROOT / "data" / "directory" / "taxonomy.yml"
RESULTS = 5
CASELESS_MIN_POPULATION = 50_000
LOCATION_DECIMALS = 2  # about 1 km: enough to find help, too coarse to pinpoint a person
_WORDS = re.compile(r"[\w'’-]+", re.UNICODE)


@dataclass(frozen=True)
class Place:
    """Where to search around."""

    latitude: float
    longitude: float
    name: str | None  # None for a shared location


def round_location(latitude: float, longitude: float) -> tuple[float, float]:
    """Coarsen a shared location before it is used at all."""
    return round(float(latitude), LOCATION_DECIMALS), round(float(longitude), LOCATION_DECIMALS)


def find_place(text: str, lang: str | None = None) -> Place | None:
    """The town or city a message names, if any (longest word run first, up to 3 words).

    Many ordinary words are also town names somewhere ("can" is Caen, "nice" is Nice),
    so inside a sentence a run of words counts only if it is one of the towns we serve
    (curated in data/directory/city_aliases.yml) or written with a capital letter;
    a message that is nothing but a town name ("calais") always counts. Scripts without
    capitals (Arabic, Ethiopic) count for towns of CASELESS_MIN_POPULATION people or more.
    A town with a case ending ("в Лондоне") is found through the language's endings,
    for our towns and towns of CASELESS_MIN_POPULATION people or more.
    """
    words = _WORDS.findall(text[:300])
    gazetteer = load_gazetteer()
    for size in (3, 2, 1):
        for start in range(0, max(0, len(words) - size + 1)):
            run = words[start:start + size]
            candidate = " ".join(run)
            if len(candidate) < 3 or candidate.isdigit():
                continue
            place = lookup(gazetteer, candidate)
            inflected = False
            if place is None:
                base = uninflect(gazetteer, candidate, lang)
                if base is None:
                    continue
                candidate, place = base
                inflected = True
            whole_message = len(run) == len(words)
            first = run[0][:1]
            named = first.isupper() or (first.isalpha() and first.lower() == first.upper()
                                        and place.population >= CASELESS_MIN_POPULATION)
            if inflected and not (place.curated or place.population >= CASELESS_MIN_POPULATION):
                continue  # a stripped ending is a guess: only for the towns people ask about
            if place.curated or whole_message or named:
                found = find_city(candidate, lang, gazetteer=gazetteer)
                if found:
                    return Place(found[0], found[1], found[2])
    return None


@lru_cache(maxsize=1)
def _keywords() -> dict[str, tuple[str, ...]]:
    """{keyword (lower case): service types} from data/directory/service_keywords.yml."""
    raw = yaml.safe_load(KEYWORDS_FILE.read_text(encoding="utf-8")) or {}
    table: dict[str, list[str]] = {}
    for service_type, by_language in (raw.get("service_types") or {}).items():
        for words in (by_language or {}).values():
            for word in words or ():
                table.setdefault(str(word).lower(), []).append(service_type)
    return {word: tuple(types) for word, types in table.items()}


def wanted_service_types(text: str, previous_intent: str | None = None) -> tuple[str, ...]:
    """Service types a message asks for (keywords), or that the conversation implies."""
    lowered = text.lower()
    found: list[str] = []
    for word, types in _keywords().items():
        if word in lowered:
            found.extend(t for t in types if t not in found)
    if not found and previous_intent in _INTENT_SERVICES:
        found.extend(_INTENT_SERVICES[previous_intent])
    return tuple(found)


_INTENT_SERVICES = {
    "legal_aid": ("legal_aid",),
    "claim_asylum": ("asylum_advice", "legal_aid"),
    "emergency": ("anti_trafficking",),
}


@lru_cache(maxsize=1)
def service_labels() -> dict[str, str]:
    """{service type id: English label} from the taxonomy (translated through the catalogs)."""
    raw = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8")) or {}
    return {str(item["id"]): str(item["label"]) for item in raw.get("service_types", [])}


def open_directory(path: Path | None = None) -> sqlite3.Connection | None:
    """A read-only connection to the directory, or None when it has not been imported."""
    db_path = path or default_db_path()
    if not db_path.is_file():
        return None
    return connect(db_path, readonly=True)


def search(
    db: sqlite3.Connection, place: Place, service_types: tuple[str, ...] = (),
    today: dt.date | None = None,
) -> list[HelpCentre]:
    """The nearest help centres, with a service filter that is dropped if it finds nothing."""
    results = nearest(db, place.latitude, place.longitude, service_types=service_types or None,
                      limit=RESULTS, today=today)
    if not results and service_types:
        results = nearest(db, place.latitude, place.longitude, limit=RESULTS, today=today)
    return results


def results_payload(results: list[HelpCentre], place: Place) -> dict[str, Any]:
    """The answer: an intro naming the place, then one block per help centre, then buttons."""
    if place.name:
        intro: dict[str, Any] = {"msg": "help_results_place", "args": {"place": place.name}}
    else:
        intro = {"msg": "help_results_location"}
    if not results:
        return {"parts": [{"msg": "help_results_none"}], "buttons": ["emergency", "menu"]}
    return {"parts": [intro, *(centre_payload(c) for c in results)],
            "buttons": ["emergency", "menu"]}


def centre_payload(centre: HelpCentre) -> dict[str, Any]:
    """One help centre, line by line; lines without data are left out."""
    labels = service_labels()
    lines: list[dict[str, Any]] = []
    # Service names and alerts are NGO-written English: translated when the catalogs have them.
    title = {"organization": centre.organization or centre.name, "service": {"t": centre.name}}
    if centre.distance_km is not None and centre.approximate and centre.city:
        # Only the town is known: a distance to the town centre would look falsely precise.
        lines.append({"msg": "hc_title_city", "args": {**title, "city": centre.city}})
    elif centre.distance_km is not None:
        lines.append({"msg": "hc_title_distance",
                      "args": {**title, "distance": {"km": centre.distance_km}}})
    else:
        lines.append({"msg": "hc_title", "args": title})
    if centre.status == "temporarily closed":
        lines.append({"msg": "hc_temporarily_closed"})
    if centre.alert:
        lines.append({"msg": "hc_alert", "args": {"alert": {"t": centre.alert}}})
    if centre.service_types:
        lines.append({"msg": "hc_services", "args": {"services": {"list": [
            {"t": labels.get(t, t)} for t in centre.service_types]}}})
    if centre.languages:
        lines.append({"msg": "hc_languages",
                      "args": {"languages": {"list": [{"language": c} for c in centre.languages]}}})
    if centre.hours_today == ():
        lines.append({"msg": "hc_closed_today"})
    elif centre.hours_today:
        hours = ", ".join(f"{opens}–{closes}" for opens, closes in centre.hours_today)
        lines.append({"msg": "hc_open_today", "args": {"hours": hours}})
    if centre.phone:
        lines.append({"msg": "hc_phone", "args": {"phone": display_phone(centre.phone)}})
    if centre.address is None and centre.phone and centre.distance_km is not None:
        lines.append({"msg": "hc_address_withheld"})
    elif centre.address:
        lines.append({"msg": "hc_address", "args": {"address": centre.address}})
    if centre.website:
        lines.append({"msg": "hc_website", "args": {"website": centre.website}})
    if centre.assured_date is None:
        lines.append({"msg": "hc_not_verified"})
    elif centre.stale:
        lines.append({"msg": "hc_stale", "args": {"date": {"date": centre.assured_date.isoformat()}}})
    else:
        lines.append({"msg": "hc_verified", "args": {"date": {"date": centre.assured_date.isoformat()}}})
    return {"lines": lines}


def display_phone(number: str) -> str:
    """A phone number as people dial it from abroad (short numbers as they are)."""
    if not number.startswith("+"):
        return number
    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
