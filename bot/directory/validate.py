"""Validate raw tables into normalised ones, reporting every problem by file, row and field."""

from __future__ import annotations

from datetime import date

import phonenumbers
from phonenumbers import shortnumberinfo

from bot.directory.fields import country_name, normalise_cell
from bot.directory.model import TABLES, Problem, RawTable, RawTables, Row, Tables, file_name
from bot.directory.taxonomy import Taxonomy

ADDRESS_FIELDS = ("address_1", "postal_code")


class _Checker:
    """Collects problems while the tables are cross-checked."""

    def __init__(self, raw: RawTables) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.rows: dict[str, list[tuple[int, Row]]] = {}

    def add(
        self, table: str, line: int | None, field: str | None, code: str, /, **params: object
    ) -> None:
        label = self.raw[table].file if table in self.raw else file_name(table)
        self.problems.append(Problem(label, line, field, code, dict(params)))


def normalise_phone(number: str, region: str | None) -> str | None:
    """Return a number in E.164 form (a short number such as 115 as dialled), or None."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if (
        region
        and not number.startswith("+")
        and shortnumberinfo.is_valid_short_number_for_region(parsed, region)
    ):
        return phonenumbers.national_significant_number(parsed)
    return None


def _normalise_rows(
    checker: _Checker, table: str, raw: RawTable, taxonomy: Taxonomy, bad: set[tuple[str, str, int]]
) -> None:
    out: list[tuple[int, Row]] = []
    for line, cells in raw.rows:
        row: Row = {}
        for f in TABLES[table]:
            value, issue = normalise_cell(cells.get(f.name, ""), f, taxonomy)
            row[f.name] = value
            if issue:
                checker.add(table, line, f.name, issue[0], **issue[1])
                bad.add((table, f.name, line))
            elif f.required and not value and f.name in raw.present_columns:
                checker.add(table, line, f.name, "required")
        out.append((line, row))
    checker.rows[table] = out


def _check_ids(checker: _Checker) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for table, rows in checker.rows.items():
        first: dict[str, int] = {}
        for line, row in rows:
            key = row["id"]
            if not key:
                continue
            if key in first:
                checker.add(table, line, "id", "duplicate_id", value=key, first_row=first[key])
            else:
                first[key] = line
        ids[table] = set(first)
    return ids


def _check_references(checker: _Checker, ids: dict[str, set[str]]) -> None:
    for table, rows in checker.rows.items():
        refs = [f for f in TABLES[table] if f.ref]
        for line, row in rows:
            for f in refs:
                value = row[f.name]
                if value and f.ref in ids and value not in ids[f.ref]:
                    checker.add(
                        table,
                        line,
                        f.name,
                        "unknown_reference",
                        value=value,
                        target=file_name(f.ref),
                    )


def _check_locations(checker: _Checker, bad: set[tuple[str, str, int]]) -> None:
    for line, row in checker.rows.get("locations", []):
        lat, lon = row["latitude"], row["longitude"]
        if ("locations", "latitude", line) in bad or ("locations", "longitude", line) in bad:
            pass
        elif bool(lat) != bool(lon):
            checker.add(
                "locations", line, "latitude" if not lat else "longitude", "coordinates_pair"
            )
        elif lat and lon and float(lat) == 0.0 and float(lon) == 0.0:
            checker.add("locations", line, "latitude", "coordinates_zero")
        if row["address_withheld"] == "yes":
            for name in ADDRESS_FIELDS:
                if row[name]:
                    checker.add("locations", line, name, "withheld_address_given")
            if lat and row["approximate"] == "no":
                checker.add("locations", line, "approximate", "withheld_exact_coordinates")


def _phone_regions(
    checker: _Checker, bad: set[tuple[str, str, int]]
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    valid = [
        (line, row)
        for line, row in checker.rows.get("locations", [])
        if ("locations", "country", line) not in bad
    ]
    by_location = {row["id"]: row["country"] for _, row in valid if row["country"]}
    by_service: dict[str, str] = {}
    for _, row in checker.rows.get("service_at_locations", []):
        country = by_location.get(row["location_id"])
        if country:
            by_service.setdefault(row["service_id"], country)
    by_org: dict[str, str] = {}
    for _, row in valid:
        if row["organization_id"] and row["country"]:
            by_org.setdefault(row["organization_id"], row["country"])
    return by_location, by_service, by_org


def _check_phones(checker: _Checker, bad: set[tuple[str, str, int]]) -> None:
    by_location, by_service, by_org = _phone_regions(checker, bad)
    for line, row in checker.rows.get("phones", []):
        if not (row["service_id"] or row["location_id"] or row["organization_id"]):
            checker.add("phones", line, "service_id", "phone_target")
        number = row["number"]
        if not number or ("phones", "number", line) in bad:
            continue
        region = (
            by_location.get(row["location_id"])
            or by_service.get(row["service_id"])
            or by_org.get(row["organization_id"])
        )
        normalised = normalise_phone(number, region)
        if normalised is None:
            if region:
                checker.add(
                    "phones",
                    line,
                    "number",
                    "bad_phone",
                    value=number,
                    country=country_name(region),
                )
            else:
                checker.add("phones", line, "number", "bad_phone_no_country", value=number)
        else:
            row["number"] = normalised


def _check_schedules(checker: _Checker, bad: set[tuple[str, str, int]]) -> None:
    for line, row in checker.rows.get("schedules", []):
        if not (row["service_id"] or row["location_id"] or row["service_at_location_id"]):
            checker.add("schedules", line, "service_id", "schedule_target")
        opens, closes = row["opens_at"], row["closes_at"]
        if ("schedules", "opens_at", line) in bad or ("schedules", "closes_at", line) in bad:
            continue
        if bool(opens) != bool(closes):
            checker.add("schedules", line, "opens_at" if not opens else "closes_at", "hours_pair")
        elif opens == "24:00":
            checker.add("schedules", line, "opens_at", "bad_time", value=opens)
        elif opens and opens == closes:
            checker.add("schedules", line, "closes_at", "hours_equal", value=opens)
        if opens and not row["byday"] and ("schedules", "byday", line) not in bad:
            checker.add("schedules", line, "byday", "hours_without_days")
        start, end = row["valid_from"], row["valid_to"]
        if start and end and len(start) == 10 == len(end) and start > end:
            checker.add("schedules", line, "valid_to", "date_order", start=start, end=end)


def _check_services(checker: _Checker, today: date, bad: set[tuple[str, str, int]]) -> None:
    for line, row in checker.rows.get("services", []):
        assured = row["assured_date"]
        if assured and ("services", "assured_date", line) not in bad:
            if assured > today.isoformat():
                checker.add(
                    "services",
                    line,
                    "assured_date",
                    "date_in_future",
                    value=assured,
                    today=today.isoformat(),
                )
            if not row["assurer"]:
                checker.add("services", line, "assurer", "assurer_missing")
    if "services" in checker.rows and not checker.rows["services"]:
        checker.add("services", None, None, "no_services")


def validate_tables(
    raw: RawTables, taxonomy: Taxonomy, today: date
) -> tuple[Tables, list[Problem]]:
    """Normalise every cell and cross-check the tables; return the tables and all problems found."""
    checker = _Checker(raw)
    bad: set[tuple[str, str, int]] = set()
    for table in TABLES:
        if table in raw:
            _normalise_rows(checker, table, raw[table], taxonomy, bad)
    ids = _check_ids(checker)
    _check_references(checker, ids)
    _check_locations(checker, bad)
    _check_phones(checker, bad)
    _check_schedules(checker, bad)
    _check_services(checker, today, bad)
    tables: Tables = {table: [row for _, row in checker.rows.get(table, [])] for table in TABLES}
    return tables, checker.problems
