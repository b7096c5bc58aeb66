"""Find help near a person: nearest open services, fresh before stale; position never stored."""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from bot.directory.model import DAYS, split_list

EARTH_RADIUS_KM = 6371.0088
STALE_DAYS = 180
# Search rings (km): widen until enough services are certainly found; the last covers the Earth.
RINGS_KM = (2.0, 8.0, 32.0, 128.0, 512.0, 2048.0, 8192.0, 20100.0)


@dataclass(frozen=True)
class HelpCentre:
    """One service at one place, as shown to a person looking for help."""

    service_id: str
    name: str
    organization: str
    service_types: tuple[str, ...]
    languages: tuple[str, ...]
    hours_today: tuple[tuple[str, str], ...] | None  # None: hours unknown; (): closed today
    phone: str | None  # E.164, or a short number such as 115 as dialled
    phone_languages: tuple[str, ...]
    website: str | None
    distance_km: float | None  # None for helplines and places found by country
    assured_date: date | None
    stale: bool
    status: str
    alert: str
    address: str | None  # None when withheld or unknown
    city: str
    approximate: bool


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """Return (min_lat, max_lat, min_lon, max_lon) enclosing the circle of radius_km."""
    angular = radius_km / EARTH_RADIUS_KM
    phi = math.radians(lat)
    min_phi, max_phi = phi - angular, phi + angular
    if min_phi <= -math.pi / 2 or max_phi >= math.pi / 2 or angular >= math.pi / 2:
        return max(-90.0, math.degrees(min_phi)), min(90.0, math.degrees(max_phi)), -180.0, 180.0
    delta = math.asin(min(1.0, math.sin(angular) / math.cos(phi)))
    min_lon, max_lon = lon - math.degrees(delta), lon + math.degrees(delta)
    if min_lon < -180.0 or max_lon > 180.0:
        min_lon, max_lon = -180.0, 180.0
    return math.degrees(min_phi), math.degrees(max_phi), min_lon, max_lon


def is_stale(assured: str, today: date, stale_days: int = STALE_DAYS) -> bool:
    """Tell whether an entry last verified on assured (ISO date, "" if never) is stale on today."""
    return not assured or assured < (today - timedelta(days=stale_days)).isoformat()


def _filters(
    service_types: list[str] | tuple[str, ...] | None, language: str | None
) -> tuple[str, list[str]]:
    clauses, params = [], []
    if service_types:
        clauses.append("(" + " OR ".join("instr(p.types, ?) > 0" for _ in service_types) + ")")
        params += [f"|{t}|" for t in service_types]
    if language:
        clauses.append("instr(p.langs, ?) > 0")
        params.append(f"|{language}|")
    return "".join(f" AND {c}" for c in clauses), params


def nearest_points(
    db: sqlite3.Connection,
    lat: float,
    lon: float,
    service_types: list[str] | tuple[str, ...] | None = None,
    language: str | None = None,
    limit: int = 5,
    max_km: float | None = None,
) -> list[tuple[float, str, str, str, str]]:
    """Return (distance, service_id, location_id, status, assured_date) of nearest services."""
    where, params = _filters(service_types, language)
    sql = (
        "SELECT p.service_id, p.location_id, p.lat, p.lon, p.status, p.assured_date "
        "FROM search_rtree r JOIN search_points p ON p.pid = r.pid "
        "WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?" + where
    )
    best: dict[str, tuple[float, str, str, str, str]] = {}
    for radius in RINGS_KM:
        last = radius == RINGS_KM[-1] or (max_km is not None and radius >= max_km)
        if max_km is not None:
            radius = min(radius, max_km)
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
        best = {}
        for sid, lid, plat, plon, status, assured in db.execute(
            sql, [min_lat, max_lat, min_lon, max_lon, *params]
        ):
            distance = haversine_km(lat, lon, plat, plon)
            if distance <= radius and (
                sid not in best or (distance, lid) < (best[sid][0], best[sid][2])
            ):
                best[sid] = (distance, sid, lid, status, assured)
        if len(best) >= limit or last:
            break
    return sorted(best.values())[:limit]


def _hours_today(
    db: sqlite3.Connection, service_id: str, location_id: str, today: date
) -> tuple[tuple[str, str], ...] | None:
    day = DAYS[today.weekday()]
    iso = today.isoformat()
    cols = "byday, opens_at, closes_at, valid_from, valid_to"
    rows = db.execute(
        f"SELECT {cols}, 0 AS rank FROM schedules WHERE service_at_location_id IN "  # noqa: S608 - fixed columns, values bound
        "(SELECT id FROM service_at_locations WHERE service_id = ? AND location_id = ?) "
        f"UNION ALL SELECT {cols}, 1 FROM schedules INDEXED BY schedules_service WHERE "
        f"service_id = ? AND service_at_location_id = '' "
        "AND location_id IN ('', ?) "
        f"UNION ALL SELECT {cols}, 2 FROM schedules INDEXED BY schedules_location WHERE "
        f"location_id = ? AND service_id = '' "
        "AND service_at_location_id = '' ORDER BY rank",
        (service_id, location_id, service_id, location_id, location_id),
    ).fetchall()
    if not rows:
        return None
    top = rows[0]["rank"]
    hours = []
    for row in rows:
        if row["rank"] != top or not row["opens_at"]:
            continue
        if (row["valid_from"] and row["valid_from"] > iso) or (
            row["valid_to"] and row["valid_to"] < iso
        ):
            continue
        if day in row["byday"].split(","):
            hours.append((row["opens_at"], row["closes_at"]))
    return tuple(sorted(hours))


def _phone(
    db: sqlite3.Connection, service_id: str, location_id: str, organization_id: str
) -> tuple[str | None, tuple[str, ...]]:
    row = db.execute(
        "SELECT number, languages, CASE WHEN service_id = ? AND location_id = ? THEN 0 WHEN "
        "service_id = ? THEN 1 "
        "WHEN location_id = ? THEN 2 ELSE 3 END AS rank FROM phones "
        "WHERE service_id = ? OR location_id = ? OR (organization_id = ? AND service_id = '' AND "
        "location_id = '') "
        "ORDER BY rank, id LIMIT 1",
        (
            service_id,
            location_id,
            service_id,
            location_id,
            service_id,
            location_id,
            organization_id,
        ),
    ).fetchone()
    if row is None:
        return None, ()
    return row["number"], tuple(split_list(row["languages"]))


def describe(
    db: sqlite3.Connection,
    service_id: str,
    location_id: str,
    distance: float | None,
    today: date,
    stale_days: int = STALE_DAYS,
) -> HelpCentre:
    """Assemble everything a person needs to know about one service at one place."""
    s = db.execute(
        "SELECT s.*, o.name AS org_name, o.website AS org_website FROM services s "
        "JOIN organizations o ON o.id = s.organization_id WHERE s.id = ?",
        (service_id,),
    ).fetchone()
    loc = db.execute("SELECT * FROM locations WHERE id = ?", (location_id,)).fetchone()
    phone, phone_languages = _phone(db, service_id, location_id, s["organization_id"])
    withheld = loc["address_withheld"] == "yes"
    address = None
    if not withheld and loc["address_1"]:
        address = ", ".join(p for p in (loc["address_1"], loc["city"], loc["postal_code"]) if p)
    return HelpCentre(
        service_id=service_id,
        name=s["name"],
        organization=s["org_name"],
        service_types=tuple(split_list(s["service_types"])),
        languages=tuple(split_list(s["languages"])),
        hours_today=_hours_today(db, service_id, location_id, today),
        phone=phone,
        phone_languages=phone_languages,
        website=s["url"] or s["org_website"] or None,
        distance_km=distance,
        assured_date=date.fromisoformat(s["assured_date"]) if s["assured_date"] else None,
        stale=is_stale(s["assured_date"], today, stale_days),
        status=s["status"],
        alert=s["alert"],
        address=address,
        city=loc["city"],
        approximate=loc["approximate"] == "yes",
    )


def rank_key(
    status: str, stale: bool, distance: float, service_id: str
) -> tuple[bool, bool, float, str]:
    """Order of results: open before temporarily closed, fresh before stale, then nearer first."""
    return (status != "active", stale, distance, service_id)


def nearest(
    db: sqlite3.Connection,
    lat: float,
    lon: float,
    service_types: list[str] | tuple[str, ...] | None = None,
    language: str | None = None,
    limit: int = 5,
    today: date | None = None,
    *,
    stale_days: int = STALE_DAYS,
    max_km: float | None = None,
) -> list[HelpCentre]:
    """Return the limit nearest services (one place each, closed never), ranked fresh before stale.

    lat/lon are used for this one query and neither stored nor logged.
    """
    day = today or date.today()
    points = nearest_points(db, lat, lon, service_types, language, limit, max_km)
    ordered = sorted(
        points, key=lambda p: rank_key(p[3], is_stale(p[4], day, stale_days), p[0], p[1])
    )
    return [
        describe(db, sid, lid, distance, day, stale_days) for distance, sid, lid, _, _ in ordered
    ]


def remote_help(
    db: sqlite3.Connection,
    country: str,
    service_types: list[str] | tuple[str, ...] | None = None,
    language: str | None = None,
    today: date | None = None,
    *,
    stale_days: int = STALE_DAYS,
) -> list[HelpCentre]:
    """Return helplines and phone-only (confidential) services of a country, fresh before stale."""
    day = today or date.today()
    where, params = _filters(service_types, language)
    rows = db.execute(
        "SELECT p.service_id, p.location_id, p.status, p.assured_date FROM remote_services p "  # noqa: S608 - filters are fixed clauses, values bound
        "WHERE p.country = ?" + where,
        [country.upper(), *params],
    ).fetchall()
    seen: dict[str, tuple[str, str, str]] = {}
    for sid, lid, status, assured in rows:
        seen.setdefault(sid, (lid, status, assured))
    ordered = sorted(
        seen.items(),
        key=lambda kv: rank_key(kv[1][1], is_stale(kv[1][2], day, stale_days), 0.0, kv[0]),
    )
    return [describe(db, sid, lid, None, day, stale_days) for sid, (lid, _, _) in ordered]
