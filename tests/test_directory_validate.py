"""A catalogue of broken directory files: each gives a clear error and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from directory_fixtures.builders import TODAY, Raw, base, write_folder

from bot.directory.importer import import_directory, validate_source
from bot.directory.messages import MESSAGES
from bot.directory.model import MAX_FILE_BYTES, Problem
from bot.directory.store import connect, content_hash


def setter(table: str, index: int, **cells: str) -> Callable[[Raw], None]:
    def mutate(raw: Raw) -> None:
        raw[table][index].update(cells)

    return mutate


def appender(table: str, **cells: str) -> Callable[[Raw], None]:
    def mutate(raw: Raw) -> None:
        raw[table].append(dict(cells))

    return mutate


def combined(*mutations: Callable[[Raw], None]) -> Callable[[Raw], None]:
    def mutate(raw: Raw) -> None:
        for m in mutations:
            m(raw)

    return mutate


# (case, mutation of the raw cells, expected (file, row, field, message id))
ROW_CASES: list[tuple[str, Callable[[Raw], None], tuple[str, int | None, str | None, str]]] = [
    ("bad phone", setter("phones", 0, number="020 7946"), ("phones.csv", 2, "number", "bad_phone")),
    (
        "phone letters",
        setter("phones", 0, number="call 0207"),
        ("phones.csv", 2, "number", "bad_phone_chars"),
    ),
    (
        "phone +cmd injection",
        setter("phones", 0, number="+cmd|' /C calc'!A0"),
        ("phones.csv", 2, "number", "bad_phone_chars"),
    ),
    (
        "phone without country",
        combined(
            appender("organizations", id="org-c", name="C"),
            appender("phones", id="ph-c", organization_id="org-c", number="020 7946 0000"),
        ),
        ("phones.csv", 5, "number", "bad_phone_no_country"),
    ),
    (
        "phone belongs to nothing",
        appender("phones", id="ph-x", number="+44 20 7946 0000"),
        ("phones.csv", 5, "service_id", "phone_target"),
    ),
    (
        "unknown language",
        setter("services", 0, languages="en; xx"),
        ("services.csv", 2, "languages", "unknown_language"),
    ),
    (
        "language name",
        setter("services", 0, languages="Arabic"),
        ("services.csv", 2, "languages", "language_name_not_code"),
    ),
    (
        "unknown service type",
        setter("services", 0, service_types="legal_aid; magic"),
        ("services.csv", 2, "service_types", "unknown_service_type"),
    ),
    (
        "latitude out of range",
        setter("locations", 0, latitude="91"),
        ("locations.csv", 2, "latitude", "latitude_range"),
    ),
    (
        "longitude out of range",
        setter("locations", 0, longitude="-180.5"),
        ("locations.csv", 2, "longitude", "longitude_range"),
    ),
    (
        "latitude not a number",
        setter("locations", 0, latitude="51°30'N"),
        ("locations.csv", 2, "latitude", "bad_number"),
    ),
    (
        "latitude without longitude",
        setter("locations", 0, longitude=""),
        ("locations.csv", 2, "longitude", "coordinates_pair"),
    ),
    (
        "null island",
        setter("locations", 0, latitude="0", longitude="0"),
        ("locations.csv", 2, "latitude", "coordinates_zero"),
    ),
    (
        "withheld address published",
        setter("locations", 1, address_1="1 Secret Street"),
        ("locations.csv", 3, "address_1", "withheld_address_given"),
    ),
    (
        "withheld with exact coordinates",
        setter("locations", 1, approximate="no"),
        ("locations.csv", 3, "approximate", "withheld_exact_coordinates"),
    ),
    (
        "bad country",
        setter("locations", 0, country="XX"),
        ("locations.csv", 2, "country", "bad_country"),
    ),
    (
        "bad location type",
        setter("locations", 0, location_type="house"),
        ("locations.csv", 2, "location_type", "bad_choice"),
    ),
    (
        "bad yes/no",
        setter("locations", 0, approximate="maybe"),
        ("locations.csv", 2, "approximate", "bad_bool"),
    ),
    (
        "time out of range",
        setter("schedules", 0, opens_at="25:00"),
        ("schedules.csv", 2, "opens_at", "bad_time"),
    ),
    (
        "time as words",
        setter("schedules", 0, closes_at="5pm"),
        ("schedules.csv", 2, "closes_at", "bad_time"),
    ),
    (
        "bad days",
        setter("schedules", 0, byday="Mondays"),
        ("schedules.csv", 2, "byday", "bad_byday"),
    ),
    (
        "reversed day range",
        setter("schedules", 0, byday="FR-MO"),
        ("schedules.csv", 2, "byday", "bad_byday"),
    ),
    (
        "opens without closes",
        setter("schedules", 0, closes_at=""),
        ("schedules.csv", 2, "closes_at", "hours_pair"),
    ),
    (
        "opens equals closes",
        setter("schedules", 0, opens_at="09:00", closes_at="09:00"),
        ("schedules.csv", 2, "closes_at", "hours_equal"),
    ),
    (
        "opens at 24:00",
        setter("schedules", 0, opens_at="24:00"),
        ("schedules.csv", 2, "opens_at", "bad_time"),
    ),
    (
        "hours without days",
        setter("schedules", 0, byday=""),
        ("schedules.csv", 2, "byday", "hours_without_days"),
    ),
    (
        "monthly schedule",
        setter("schedules", 0, freq="MONTHLY"),
        ("schedules.csv", 2, "freq", "bad_freq"),
    ),
    (
        "schedule belongs to nothing",
        setter("schedules", 0, service_id=""),
        ("schedules.csv", 2, "service_id", "schedule_target"),
    ),
    (
        "seasonal dates reversed",
        setter("schedules", 0, valid_from="2026-12-01", valid_to="2026-11-01"),
        ("schedules.csv", 2, "valid_to", "date_order"),
    ),
    (
        "duplicate id",
        setter("services", 1, id="svc-legal"),
        ("services.csv", 3, "id", "duplicate_id"),
    ),
    (
        "duplicate id across rows of phones",
        setter("phones", 2, id="ph-legal"),
        ("phones.csv", 4, "id", "duplicate_id"),
    ),
    ("bad id", setter("organizations", 0, id="org a"), ("organizations.csv", 2, "id", "bad_id")),
    (
        "verification date in the future",
        setter("services", 0, assured_date="2026-12-01"),
        ("services.csv", 2, "assured_date", "date_in_future"),
    ),
    (
        "impossible date",
        setter("services", 0, assured_date="31/02/2026"),
        ("services.csv", 2, "assured_date", "bad_date"),
    ),
    (
        "verified without assurer",
        setter("services", 0, assurer=""),
        ("services.csv", 2, "assurer", "assurer_missing"),
    ),
    (
        "missing required name",
        setter("services", 0, name=""),
        ("services.csv", 2, "name", "required"),
    ),
    (
        "missing required status",
        setter("services", 0, status=""),
        ("services.csv", 2, "status", "required"),
    ),
    (
        "missing service types",
        setter("services", 0, service_types=""),
        ("services.csv", 2, "service_types", "required"),
    ),
    (
        "missing country",
        setter("locations", 0, country=""),
        ("locations.csv", 2, "country", "required"),
    ),
    (
        "unknown organisation",
        setter("services", 0, organization_id="org-z"),
        ("services.csv", 2, "organization_id", "unknown_reference"),
    ),
    (
        "unknown location",
        setter("service_at_locations", 0, location_id="loc-z"),
        ("service_at_locations.csv", 2, "location_id", "unknown_reference"),
    ),
    (
        "bad status",
        setter("services", 0, status="open"),
        ("services.csv", 2, "status", "bad_status"),
    ),
    (
        "javascript link",
        setter("organizations", 0, website="javascript:alert(1)"),
        ("organizations.csv", 2, "website", "bad_url"),
    ),
    (
        "bad e-mail",
        setter("organizations", 0, email="alpha at example"),
        ("organizations.csv", 2, "email", "bad_email"),
    ),
    ("too long", setter("services", 0, alert="x" * 301), ("services.csv", 2, "alert", "too_long")),
    (
        "control characters",
        setter("services", 0, name="Legal\x07advice"),
        ("services.csv", 2, "name", "control_chars"),
    ),
    (
        "formula =HYPERLINK",
        setter("organizations", 0, name='=HYPERLINK("http://evil.example","Click")'),
        ("organizations.csv", 2, "name", "formula_cell"),
    ),
    (
        "formula +cmd",
        setter("organizations", 0, description="+cmd|' /C calc'!A0"),
        ("organizations.csv", 2, "description", "formula_cell"),
    ),
    (
        "formula @SUM",
        setter("services", 0, alert="@SUM(1+1)*cmd|' /C calc'!A0"),
        ("services.csv", 2, "alert", "formula_cell"),
    ),
    (
        "formula -2+3",
        setter("services", 0, name="-2+3+cmd|' /C calc'!A0"),
        ("services.csv", 2, "name", "formula_cell"),
    ),
    (
        "formula after a tab",
        setter("services", 0, description="\t=1+1"),
        ("services.csv", 2, "description", "formula_cell"),
    ),
    (
        "formula in a coordinate",
        setter("locations", 0, latitude="=51.5"),
        ("locations.csv", 2, "latitude", "formula_cell"),
    ),
    (
        "no services at all",
        lambda raw: raw.update(services=[], service_at_locations=[], phones=[], schedules=[]),
        ("services.csv", None, None, "no_services"),
    ),
]


def _write_bytes(name: str, data: bytes) -> Callable[[Path], None]:
    def post(folder: Path) -> None:
        (folder / name).write_bytes(data)

    return post


def _big_file(folder: Path) -> None:
    path = folder / "organizations.csv"
    with path.open("ab") as handle:
        line = b"org-pad,Padding organisation,,,https://pad.example.org,\n"
        handle.write(line * (MAX_FILE_BYTES // len(line) + 10))


FILE_CASES: list[tuple[str, Callable[[Path], None], tuple[str, int | None, str | None, str]]] = [
    (
        "wrong encoding (Windows-1252)",
        _write_bytes("organizations.csv", "id,name\norg-a,Médecins\n".encode("cp1252")),
        ("organizations.csv", None, None, "file_not_utf8"),
    ),
    (
        "UTF-16 from 'Unicode text'",
        _write_bytes("organizations.csv", "id,name\norg-a,Alpha\n".encode("utf-16")),
        ("organizations.csv", None, None, "file_not_utf8"),
    ),
    ("empty file", _write_bytes("services.csv", b""), ("services.csv", None, None, "file_empty")),
    (
        "blank lines only",
        _write_bytes("services.csv", b"\r\n\r\n  \r\n"),
        ("services.csv", None, None, "file_empty"),
    ),
    (
        "binary file",
        _write_bytes("phones.csv", b"id,number\x00\x00\n"),
        ("phones.csv", None, None, "file_not_csv"),
    ),
    ("file over 10 MB", _big_file, ("organizations.csv", None, None, "file_too_large")),
    (
        "missing file",
        lambda folder: (folder / "schedules.csv").unlink(),
        ("schedules.csv", None, None, "file_missing"),
    ),
    (
        "unknown column",
        _write_bytes("organizations.csv", b"id,name,webiste\norg-a,Alpha,x\norg-b,Beta,y\n"),
        ("organizations.csv", 1, "webiste", "column_unknown"),
    ),
    (
        "missing required column",
        _write_bytes("organizations.csv", b"id,website\norg-a,https://a.example.org\n"),
        ("organizations.csv", 1, "name", "column_missing"),
    ),
    (
        "duplicate column",
        _write_bytes("organizations.csv", b"id,name,name\norg-a,Alpha,A\norg-b,Beta,B\n"),
        ("organizations.csv", 1, "name", "column_duplicate"),
    ),
    (
        "row longer than header",
        _write_bytes("organizations.csv", b"id,name\norg-a,Alpha,extra\norg-b,Beta\n"),
        ("organizations.csv", 2, None, "row_too_long"),
    ),
    (
        "unclosed quote",
        _write_bytes("organizations.csv", b'id,name\norg-a,"Alpha\n'),
        ("organizations.csv", None, None, "file_not_csv"),
    ),
]


def _has(problems: list[Problem], expected: tuple[str, int | None, str | None, str]) -> bool:
    return any((p.file, p.row, p.field, p.code) == expected for p in problems)


@pytest.fixture()
def db(tmp_path: Path):
    folder = write_folder(tmp_path / "good", base())
    with closing(connect(tmp_path / "directory.db")) as conn:
        outcome = import_directory(conn, str(folder), by="setup", today=TODAY)
        assert outcome.problems == [] and outcome.result and outcome.result.applied
        yield conn


def _assert_refused(
    conn, db_path: Path, folder: Path, expected: tuple[str, int | None, str | None, str]
) -> None:
    before, before_bytes = content_hash(conn), db_path.read_bytes()
    outcome = import_directory(conn, str(folder), by="tester", today=TODAY)
    assert outcome.result is None
    assert _has(outcome.problems, expected), [str(p) for p in outcome.problems]
    for problem in outcome.problems:
        assert problem.code in MESSAGES
        text = str(problem)
        assert problem.file in text and "{" not in text
    assert content_hash(conn) == before
    assert db_path.read_bytes() == before_bytes


@pytest.mark.parametrize(("case", "mutate", "expected"), ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_broken_rows_are_explained_and_change_nothing(
    db, tmp_path: Path, case, mutate, expected
) -> None:
    raw = base()
    mutate(raw)
    folder = write_folder(tmp_path / "broken", raw)
    _assert_refused(db, tmp_path / "directory.db", folder, expected)


@pytest.mark.parametrize(("case", "post", "expected"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_broken_files_are_explained_and_change_nothing(
    db, tmp_path: Path, case, post, expected
) -> None:
    folder = write_folder(tmp_path / "broken", base())
    post(folder)
    _assert_refused(db, tmp_path / "directory.db", folder, expected)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    raw = base()
    raw["phones"][0]["number"] = "12"
    raw["services"][1]["languages"] = "xx-yy"
    raw["locations"][0]["latitude"] = "123"
    raw["schedules"][0]["opens_at"] = "9h75"
    folder = write_folder(tmp_path / "broken", raw)
    (folder / "organizations.csv").write_bytes("id,name\norg-a,Caf\xe9\n".encode("latin-1"))
    _, problems = validate_source(str(folder), today=TODAY)
    codes = sorted(p.code for p in problems)
    assert codes == ["bad_phone", "bad_time", "file_not_utf8", "latitude_range", "unknown_language"]


def test_problem_reads_as_plain_words() -> None:
    problem = Problem(
        "phones.csv", 7, "number", "bad_phone", {"value": "12", "country": "United Kingdom"}
    )
    assert str(problem) == (
        "phones.csv, row 7, number: '12' is not a valid phone number for United Kingdom. "
        "Write it as it is dialled there, or in international format starting with +."
    )


def test_spreadsheet_conveniences_are_normalised(tmp_path: Path) -> None:
    raw = base()
    raw["services"][0].update(
        assured_date="01/10/2026", status="Temporarily_Closed", languages="EN, ar, en"
    )
    raw["schedules"][0].update(byday="mon, wed-fri", opens_at="09:30:00")
    raw["locations"][0].update(country="uk", approximate="Y")
    folder = write_folder(tmp_path / "ok", raw)
    text = (folder / "locations.csv").read_text(encoding="utf-8").replace(",", ";")
    (folder / "locations.csv").write_text(text.replace("51.50853", "51,50853"), encoding="utf-8")
    tables, problems = validate_source(str(folder), today=TODAY)
    assert problems == []
    service = tables["services"][0]
    assert (service["assured_date"], service["status"], service["languages"]) == (
        "2026-10-01",
        "temporarily closed",
        "en; ar",
    )
    assert tables["schedules"][0]["byday"] == "MO,WE,TH,FR"
    assert tables["schedules"][0]["opens_at"] == "09:30"
    london = tables["locations"][0]
    assert (london["country"], london["approximate"], london["latitude"]) == (
        "GB",
        "yes",
        "51.50853",
    )
    assert [p["number"] for p in tables["phones"]] == ["+442079460123", "115", "+448000121700"]


def test_private_note_columns_are_ignored(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "ok", base())
    text = (folder / "organizations.csv").read_text(encoding="utf-8").splitlines()
    lines = [text[0] + ",x_notes"] + [line + ",=call them back" for line in text[1:]]
    (folder / "organizations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = validate_source(str(folder), today=TODAY)
    assert problems == []
