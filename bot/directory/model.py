"""The directory's tables (HSDS 3.0 tabular layout, simplified for spreadsheets) and problems."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from bot.directory.messages import render

# One row of a table after validation: every value is a normalised string, "" when empty.
Row = dict[str, str]
Tables = dict[str, list[Row]]

STATUSES = ("active", "temporarily closed", "closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
PHONE_TYPES = ("voice", "text", "fax", "cell", "video", "pager", "textphone", "hotline")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Field:
    """One column: its name, the kind of value it holds and whether it must be filled in."""

    name: str
    kind: str
    required: bool = False
    ref: str | None = None
    max_len: int = 200


TEXT, LONG = "text", "longtext"

TABLES: dict[str, tuple[Field, ...]] = {
    "organizations": (
        Field("id", "id", True),
        Field("name", TEXT, True),
        Field("alternate_name", TEXT),
        Field("description", LONG, max_len=2000),
        Field("website", "url", max_len=500),
        Field("email", "email"),
    ),
    "services": (
        Field("id", "id", True),
        Field("organization_id", "ref", True, ref="organizations"),
        Field("name", TEXT, True),
        Field("alternate_name", TEXT),
        Field("description", LONG, max_len=2000),
        Field("service_types", "service_types", True),
        Field("languages", "languages"),
        Field("status", "status", True),
        Field("alert", TEXT, max_len=300),
        Field("url", "url", max_len=500),
        Field("email", "email"),
        Field("interpretation_services", LONG, max_len=500),
        Field("eligibility_description", LONG, max_len=1000),
        Field("application_process", LONG, max_len=1000),
        Field("fees_description", LONG, max_len=500),
        Field("assured_date", "assured_date"),
        Field("assurer", TEXT),
    ),
    "locations": (
        Field("id", "id", True),
        Field("organization_id", "ref", ref="organizations"),
        Field("name", TEXT),
        Field("description", LONG, max_len=1000),
        Field("location_type", "location_type"),
        Field("address_withheld", "bool"),
        Field("address_1", TEXT),
        Field("city", TEXT),
        Field("region", TEXT),
        Field("postal_code", TEXT, max_len=20),
        Field("country", "country", True),
        Field("latitude", "latitude"),
        Field("longitude", "longitude"),
        Field("approximate", "bool"),
    ),
    "service_at_locations": (
        Field("id", "id", True),
        Field("service_id", "ref", True, ref="services"),
        Field("location_id", "ref", True, ref="locations"),
    ),
    "phones": (
        Field("id", "id", True),
        Field("organization_id", "ref", ref="organizations"),
        Field("service_id", "ref", ref="services"),
        Field("location_id", "ref", ref="locations"),
        Field("number", "phone", True, max_len=40),
        Field("extension", TEXT, max_len=20),
        Field("type", "phone_type"),
        Field("languages", "languages"),
        Field("description", TEXT, max_len=300),
    ),
    "schedules": (
        Field("id", "id", True),
        Field("service_id", "ref", ref="services"),
        Field("location_id", "ref", ref="locations"),
        Field("service_at_location_id", "ref", ref="service_at_locations"),
        Field("freq", "freq"),
        Field("byday", "byday"),
        Field("opens_at", "time"),
        Field("closes_at", "time"),
        Field("valid_from", "date"),
        Field("valid_to", "date"),
        Field("description", TEXT, max_len=300),
    ),
}

# Fields whose change could send a person somewhere else: flagged for review in change summaries.
SENSITIVE_FIELDS = frozenset(
    {
        "number",
        "website",
        "url",
        "email",
        "address_1",
        "city",
        "postal_code",
        "latitude",
        "longitude",
        "address_withheld",
        "status",
        "organization_id",
    }
)


def columns(table: str) -> tuple[str, ...]:
    """Return the column names of table, in file order."""
    return tuple(f.name for f in TABLES[table])


def file_name(table: str) -> str:
    """Return the CSV file name NGO staff edit for table."""
    return f"{table}.csv"


def split_list(value: str) -> list[str]:
    """Split a normalised multi-value cell ("en; fr") into its items."""
    return [item for item in (part.strip() for part in value.split(";")) if item]


def join_list(items: list[str]) -> str:
    """Join items into the canonical multi-value cell form."""
    return "; ".join(items)


@dataclass(frozen=True)
class Problem:
    """One problem in a source, located by file, row and field, with a message id (translatable)."""

    file: str
    row: int | None
    field: str | None
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def message(self) -> str:
        """Return the plain-English explanation of the problem."""
        return render(self.code, **self.params)

    def __str__(self) -> str:
        if self.row is not None:
            return render(
                "problem_line",
                file=self.file,
                row=self.row,
                field=self.field or "-",
                message=self.message(),
            )
        if self.field:
            return render(
                "problem_line_field", file=self.file, field=self.field, message=self.message()
            )
        return render("problem_line_file", file=self.file, message=self.message())


@dataclass
class RawTable:
    """Rows as read from one source file: spreadsheet row number and the cells by column name."""

    file: str
    rows: list[tuple[int, dict[str, str]]] = dataclasses.field(default_factory=list)
    present_columns: frozenset[str] = frozenset()


RawTables = dict[str, RawTable]


class DirectoryError(Exception):
    """An error to report to staff, carrying problems in plain words."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
