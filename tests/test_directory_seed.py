"""The seed data: real organisations, honest verification, nothing guessed."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.directory.importer import validate_source
from bot.directory.model import split_list
from bot.directory.taxonomy import DATA_DIR

CITIES = {
    "London",
    "Birmingham",
    "Manchester",
    "Leeds",
    "Glasgow",
    "Cardiff",
    "Belfast",
    "Canterbury",
    "Calais",
    "Grande-Synthe",
    "Paris",
}
# National numbers the compiler was certain of; anything else needs an online check first.
KNOWN_NUMBERS = {
    "+448000121700",
    "+448088010503",
    "+448082000247",
    "116123",
    "+448001111",
    "115",
    "119",
    "3919",
}


def _seed():
    tables, problems = validate_source(str(DATA_DIR), today=date(2026, 11, 22))
    assert problems == [], [str(p) for p in problems]
    return tables


def test_seed_validates_with_at_least_40_organisations_in_our_cities() -> None:
    tables = _seed()
    located = {loc["organization_id"] for loc in tables["locations"] if loc["city"] in CITIES}
    assert len(located) >= 40
    assert {loc["city"] for loc in tables["locations"] if loc["city"]} >= CITIES


def test_seed_claims_no_street_address_and_only_approximate_places() -> None:
    for loc in _seed()["locations"]:
        assert loc["address_1"] == "" and loc["postal_code"] == ""
        if loc["latitude"]:
            assert loc["approximate"] == "yes"


def test_seed_is_marked_unverified_and_says_how_it_was_compiled() -> None:
    tables = _seed()
    for service in tables["services"]:
        assert service["assured_date"] == ""
        assert "not re-checked online" in service["assurer"]
    assert all(org["website"].startswith("https://") for org in tables["organizations"])


def test_seed_phone_numbers_are_only_the_certain_national_ones() -> None:
    numbers = Counter(p["number"] for p in _seed()["phones"])
    assert set(numbers) <= KNOWN_NUMBERS
    assert "+448000121700" in numbers  # Modern Slavery & Exploitation Helpline


def test_seed_covers_every_service_type() -> None:
    used = {t for s in _seed()["services"] for t in split_list(s["service_types"])}
    assert used == {
        "legal_aid",
        "asylum_advice",
        "anti_trafficking",
        "shelter",
        "food",
        "health",
        "mental_health",
        "women",
        "children",
        "lgbtq",
        "family_tracing",
        "destitution",
    }
