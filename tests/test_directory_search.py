"""Nearest search: brute-force haversine order, closed never shown, stale below fresh."""

from __future__ import annotations

import math
import random
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from directory_fixtures.builders import TODAY, base, write_folder

from bot.directory.bench import synthetic_tables
from bot.directory.importer import import_directory
from bot.directory.model import Tables, split_list
from bot.directory.search import (
    EARTH_RADIUS_KM,
    bounding_box,
    haversine_km,
    is_stale,
    nearest,
    rank_key,
    remote_help,
)
from bot.directory.store import connect, transaction, write_tables
from bot.directory.taxonomy import load_taxonomy

LANGS = ["en", "fr", "ar", "fa", "ti"]


def _random_directory(seed: int, area: tuple[float, float, float, float], n: int = 1500) -> Tables:
    rng = random.Random(seed)  # noqa: S311 - test data
    tables = synthetic_tables(n, seed=seed, area=area)
    for i in range(n // 3):  # some services at a second place
        tables["locations"].append(
            {
                **tables["locations"][i],
                "id": f"loc-extra-{i}",
                "latitude": repr(rng.uniform(area[0], area[1])),
                "longitude": repr(rng.uniform(area[2], area[3])),
            }
        )
        service = f"svc-{rng.randrange(n)}"
        tables["service_at_locations"].append(
            {"id": f"sal-extra-{i}", "service_id": service, "location_id": f"loc-extra-{i}"}
        )
    for phone in tables["phones"][: n // 4]:
        phone["languages"] = rng.choice(LANGS)
    return tables


def _brute_force(
    tables: Tables, lat: float, lon: float, types, language, limit: int, today: date, max_km=None
):
    services = {s["id"]: s for s in tables["services"]}
    locations = {loc["id"]: loc for loc in tables["locations"]}
    phone_langs: dict[str, set[str]] = {}
    for phone in tables["phones"]:
        phone_langs.setdefault(phone["service_id"], set()).update(split_list(phone["languages"]))
    best: dict[str, tuple[float, str]] = {}
    for sal in tables["service_at_locations"]:
        s, loc = services[sal["service_id"]], locations[sal["location_id"]]
        if s["status"] == "closed" or not loc["latitude"]:
            continue
        if types and not set(types) & set(split_list(s["service_types"])):
            continue
        if language and language not in set(split_list(s["languages"])) | phone_langs.get(
            s["id"], set()
        ):
            continue
        d = haversine_km(lat, lon, float(loc["latitude"]), float(loc["longitude"]))
        if max_km is not None and d > max_km:
            continue
        if s["id"] not in best or (d, loc["id"]) < best[s["id"]]:
            best[s["id"]] = (d, loc["id"])
    chosen = sorted((d, sid) for sid, (d, _) in best.items())[:limit]
    ranked = sorted(
        chosen,
        key=lambda c: rank_key(
            services[c[1]]["status"], is_stale(services[c[1]]["assured_date"], today), c[0], c[1]
        ),
    )
    return [(sid, round(d, 9)) for d, sid in ranked]


AREAS = {
    "uk-france": (43.0, 58.0, -6.0, 8.0),
    "world": (-89.9, 89.9, -180.0, 180.0),
    "date-line": (-20.0, 20.0, 170.0, 180.0),
}


@pytest.mark.parametrize("area", AREAS, ids=list(AREAS))
def test_nearest_matches_brute_force(tmp_path: Path, area: str) -> None:
    bounds = AREAS[area]
    tables = _random_directory(11, bounds)
    types = list(load_taxonomy().service_types)
    rng = random.Random(99)  # noqa: S311 - test data
    with closing(connect(tmp_path / "d.db")) as db:
        with transaction(db):
            write_tables(db, tables)
        for _ in range(120):
            lat, lon = rng.uniform(bounds[0], bounds[1]), rng.uniform(bounds[2], bounds[3])
            if area == "date-line":
                lon = rng.choice([rng.uniform(175, 180), rng.uniform(-180, -175)])
            wanted = rng.sample(types, rng.randint(1, 2)) if rng.random() < 0.4 else None
            language = rng.choice(LANGS) if rng.random() < 0.3 else None
            limit = rng.choice([1, 5, 10])
            max_km = rng.choice([None, None, 50.0, 500.0])
            got = [
                (r.service_id, round(r.distance_km or 0, 9))
                for r in nearest(db, lat, lon, wanted, language, limit, today=TODAY, max_km=max_km)
            ]
            assert got == _brute_force(tables, lat, lon, wanted, language, limit, TODAY, max_km)


def _tiny(tmp_path: Path, raw) -> Path:
    folder = write_folder(tmp_path / "src", raw)
    with closing(connect(tmp_path / "d.db")) as db:
        outcome = import_directory(db, str(folder), by="tester", today=TODAY)
        assert outcome.problems == [], [str(p) for p in outcome.problems]
    return tmp_path / "d.db"


def test_result_carries_what_a_person_needs(tmp_path: Path) -> None:
    path = _tiny(tmp_path, base())
    monday = date(2026, 11, 23)
    with closing(connect(path, readonly=True)) as db:
        [legal] = nearest(db, 51.5, -0.12, service_types=["legal_aid"], limit=1, today=monday)
        [shelter] = nearest(db, 50.95, 1.85, service_types=["shelter"], limit=1, today=monday)
        [sunday] = nearest(db, 51.5, -0.12, service_types=["legal_aid"], limit=1, today=TODAY)
    assert legal.name == "Legal advice" and legal.organization == "Alpha Aid"
    assert legal.service_types == ("legal_aid", "asylum_advice") and legal.languages == ("en", "ar")
    assert legal.hours_today == (("09:30", "17:00"),)
    assert sunday.hours_today == ()
    assert legal.phone == "+442079460123" and legal.phone_languages == ("en", "ar")
    assert legal.website == "https://alpha.example.org"
    assert legal.distance_km == pytest.approx(haversine_km(51.5, -0.12, 51.50853, -0.12574))
    assert legal.assured_date == date(2026, 10, 1) and not legal.stale
    assert legal.city == "London" and legal.approximate
    assert shelter.phone == "115" and shelter.hours_today is None
    assert shelter.address is None and shelter.stale


def test_closed_services_are_never_returned(tmp_path: Path) -> None:
    raw = base()
    raw["services"][0]["status"] = "closed"
    path = _tiny(tmp_path, raw)
    with closing(connect(path, readonly=True)) as db:
        results = nearest(db, 51.50853, -0.12574, limit=10, today=TODAY)
        assert "svc-legal" not in [r.service_id for r in results]
        assert [r.service_id for r in results] == ["svc-shelter"]


def test_stale_entries_rank_below_fresh_ones(tmp_path: Path) -> None:
    raw = base()
    raw["locations"].append(
        {
            "id": "loc-near",
            "organization_id": "org-b",
            "country": "GB",
            "latitude": "51.5001",
            "longitude": "-0.1201",
            "approximate": "yes",
        }
    )
    raw["service_at_locations"].append(
        {"id": "sal-near", "service_id": "svc-shelter", "location_id": "loc-near"}
    )
    raw["services"][1]["service_types"] = "shelter; legal_aid"
    path = _tiny(tmp_path, raw)
    with closing(connect(path, readonly=True)) as db:
        results = nearest(db, 51.5, -0.12, service_types=["legal_aid"], limit=5, today=TODAY)
        later = nearest(
            db, 51.5, -0.12, service_types=["legal_aid"], limit=5, today=date(2027, 6, 1)
        )
    assert [(r.service_id, r.stale) for r in results] == [
        ("svc-legal", False),
        ("svc-shelter", True),
    ]
    assert results[0].distance_km > results[1].distance_km  # the stale one is nearer, yet second
    assert [r.stale for r in later] == [True, True]
    assert [r.service_id for r in later] == [
        "svc-shelter",
        "svc-legal",
    ]  # both stale: nearest first


def test_temporarily_closed_come_last_with_their_alert(tmp_path: Path) -> None:
    raw = base()
    raw["services"][0].update(status="temporarily closed", alert="Closed until 3 January")
    path = _tiny(tmp_path, raw)
    with closing(connect(path, readonly=True)) as db:
        results = nearest(db, 51.5, -0.12, limit=5, today=TODAY)
    assert [r.service_id for r in results] == ["svc-shelter", "svc-legal"]
    assert results[1].alert == "Closed until 3 January"


def test_helplines_are_found_by_country(tmp_path: Path) -> None:
    path = _tiny(tmp_path, base())
    with closing(connect(path, readonly=True)) as db:
        [line] = remote_help(db, "gb", today=TODAY)
        assert remote_help(db, "FR", today=TODAY) == []
        assert remote_help(db, "GB", service_types=["shelter"], today=TODAY) == []
    assert line.phone == "+448000121700" and line.distance_km is None
    assert line.hours_today == (("00:00", "24:00"),) and line.stale


def test_search_writes_nothing(tmp_path: Path) -> None:
    path = _tiny(tmp_path, base())
    before = path.read_bytes()
    with closing(connect(path, readonly=True)) as db:
        nearest(db, 51.5, -0.12, today=TODAY)
        remote_help(db, "GB", today=TODAY)
    assert path.read_bytes() == before


def _destination(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    phi, lam, delta = math.radians(lat), math.radians(lon), km / EARTH_RADIUS_KM
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(bearing)
    )
    lam2 = lam + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [(51.5, -0.1, 10), (89.5, 0, 100), (0, 179.9, 50), (-60, 10, 3000), (70, -170, 800)],
)
def test_bounding_box_holds_the_circle(lat: float, lon: float, radius: float) -> None:
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
    rng = random.Random(3)  # noqa: S311 - test data
    for _ in range(2000):
        plat, plon = _destination(
            lat, lon, radius * rng.random() * 0.999, rng.uniform(0, 2 * math.pi)
        )
        assert min_lat - 1e-9 <= plat <= max_lat + 1e-9 and min_lon - 1e-9 <= plon <= max_lon + 1e-9
