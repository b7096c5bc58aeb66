"""Convert between the staff tables and an HSDS 3.0 data package (inline JSON or CSV paths)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from bot.directory.csvfiles import decode_csv_bytes
from bot.directory.model import Problem, RawTable, RawTables, Tables, columns, split_list
from bot.directory.taxonomy import Taxonomy

HSDS_VERSION = "3.0"
TAXONOMY_ID = "service-types"
EXPORT_STATUS = {"closed": "defunct"}
IMPORT_STATUS = {"defunct": "closed", "inactive": "closed"}

ORG_FIELDS = ("id", "name", "alternate_name", "description", "email", "website")
SERVICE_FIELDS = (
    "id",
    "organization_id",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "interpretation_services",
    "application_process",
    "fees_description",
    "eligibility_description",
    "alert",
    "assured_date",
    "assurer",
)
LOCATION_FIELDS = (
    "id",
    "organization_id",
    "location_type",
    "name",
    "description",
    "latitude",
    "longitude",
    "approximate",
    "address_withheld",
)
ADDRESS_FIELDS = ("address_1", "city", "region", "postal_code", "country")
PHONE_FIELDS = (
    "id",
    "organization_id",
    "service_id",
    "location_id",
    "number",
    "extension",
    "type",
    "description",
)
SCHEDULE_FIELDS = (
    "id",
    "service_id",
    "location_id",
    "service_at_location_id",
    "freq",
    "byday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "description",
)
NUMBER_FIELDS = {"latitude", "longitude"}
BOOL_FIELDS = {"approximate", "address_withheld"}

# A reader for a resource "path": returns the file's bytes or raises DirectoryError.
PathReader = Callable[[str], bytes]


def _out(row: dict[str, str], names: tuple[str, ...]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for name in names:
        value = row.get(name, "")
        if name in NUMBER_FIELDS:
            item[name] = float(value) if value else None
        elif name in BOOL_FIELDS:
            item[name] = value == "yes"
        else:
            item[name] = value or None
    return item


def _resource(name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    fields: list[str] = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    types = {n: "number" for n in NUMBER_FIELDS} | {n: "boolean" for n in BOOL_FIELDS}
    return {
        "name": name,
        "profile": "tabular-data-resource",
        "schema": {"fields": [{"name": f, "type": types.get(f, "string")} for f in fields]},
        "data": rows,
    }


def to_datapackage(tables: Tables, taxonomy: Taxonomy) -> dict[str, Any]:
    """Build an HSDS 3.0 data package with inline data from validated tables."""
    services, languages, attributes, addresses = [], [], [], []
    for s in tables["services"]:
        item = _out(s, SERVICE_FIELDS)
        item["status"] = EXPORT_STATUS.get(s["status"], s["status"])
        services.append(item)
        for i, code in enumerate(split_list(s["languages"])):
            languages.append(
                {
                    "id": f"{s['id']}-lang-{i}",
                    "service_id": s["id"],
                    "phone_id": None,
                    "code": code,
                    "name": taxonomy.languages.get(code),
                }
            )
        for i, type_id in enumerate(split_list(s["service_types"])):
            attributes.append(
                {
                    "id": f"{s['id']}-type-{i}",
                    "link_id": s["id"],
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": type_id,
                }
            )
    for p in tables["phones"]:
        for i, code in enumerate(split_list(p["languages"])):
            languages.append(
                {
                    "id": f"{p['id']}-lang-{i}",
                    "service_id": None,
                    "phone_id": p["id"],
                    "code": code,
                    "name": taxonomy.languages.get(code),
                }
            )
    for loc in tables["locations"]:
        if any(loc.get(n) for n in ADDRESS_FIELDS):
            addresses.append(
                {
                    "id": f"{loc['id']}-address",
                    "location_id": loc["id"],
                    "address_type": "physical",
                    **_out(loc, ADDRESS_FIELDS),
                }
            )
    terms = [
        {"id": t, "code": t, "name": label, "taxonomy_id": TAXONOMY_ID}
        for t, label in taxonomy.service_types.items()
    ]
    resources = [
        _resource("organization", [_out(r, ORG_FIELDS) for r in tables["organizations"]]),
        _resource("service", services),
        _resource("location", [_out(r, LOCATION_FIELDS) for r in tables["locations"]]),
        _resource("address", addresses),
        _resource(
            "service_at_location",
            [_out(r, columns("service_at_locations")) for r in tables["service_at_locations"]],
        ),
        _resource("phone", [_out(r, PHONE_FIELDS) for r in tables["phones"]]),
        _resource("schedule", [_out(r, SCHEDULE_FIELDS) for r in tables["schedules"]]),
        _resource("language", languages),
        _resource(
            "taxonomy",
            [
                {
                    "id": TAXONOMY_ID,
                    "name": "Service types",
                    "description": "Types of help offered",
                    "version": "1",
                }
            ],
        ),
        _resource("taxonomy_term", terms),
        _resource("attribute", attributes),
    ]
    return {
        "name": "help-centre-directory",
        "title": "Help centres and legal aid for migrants and refugees",
        "profile": "tabular-data-package",
        "hsds_version": HSDS_VERSION,
        "resources": resources,
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _rows_of(
    label: str, resource: dict[str, Any], read_path: PathReader | None, problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    name = str(resource.get("name", "?"))
    where = f"{label}: {name}"
    items: list[Any]
    if isinstance(resource.get("data"), list):
        items = resource["data"]
    elif isinstance(resource.get("path"), str) and read_path is not None:
        text, found = decode_csv_bytes(where, read_path(resource["path"]))
        problems.extend(found)
        if text is None:
            return []
        try:
            items = list(csv.DictReader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as exc:
            problems.append(Problem(where, None, None, "file_not_csv", {"detail": str(exc)}))
            return []
    else:
        problems.append(Problem(where, None, None, "resource_bad", {"resource": name}))
        return []
    rows = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(where, index, None, "resource_row_bad"))
            continue
        rows.append((index, {str(k).strip(): _cell(v) for k, v in item.items() if k is not None}))
    return rows


def _group_languages(lang_rows: list[tuple[int, dict[str, str]]], key: str) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for _, row in lang_rows:
        owner = row.get(key, "")
        if owner and (key == "phone_id" or not row.get("phone_id")):
            grouped.setdefault(owner, []).append(row.get("code", "") or row.get("name", ""))
    return grouped


def raw_from_datapackage(
    package: Any, label: str, read_path: PathReader | None = None
) -> tuple[RawTables, list[Problem]]:
    """Turn an HSDS data package into raw staff tables, ready for validation."""
    problems: list[Problem] = []
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        return {}, [Problem(label, None, None, "not_datapackage")]
    res: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for resource in package["resources"]:
        if isinstance(resource, dict) and resource.get("name") not in res:
            res[str(resource.get("name"))] = _rows_of(label, resource, read_path, problems)
    terms = {
        row.get("id", ""): row.get("code", "") or row.get("id", "")
        for _, row in res.get("taxonomy_term", [])
    }
    types: dict[str, list[str]] = {}
    for _, row in res.get("attribute", []):
        if "service" in (row.get("link_entity", ""), row.get("link_type", "")):
            term = row.get("taxonomy_term_id", "")
            types.setdefault(row.get("link_id", ""), []).append(terms.get(term, term))
    service_langs = _group_languages(res.get("language", []), "service_id")
    phone_langs = _group_languages(res.get("language", []), "phone_id")
    addresses: dict[str, dict[str, str]] = {}
    for _, row in res.get("address", []):
        addresses.setdefault(row.get("location_id", ""), row)

    def table(
        name: str, resource: str, extra: Callable[[dict[str, str]], dict[str, str]]
    ) -> RawTable:
        raw = RawTable(file=f"{label}: {resource}", present_columns=frozenset(columns(name)))
        for index, row in res.get(resource, []):
            cells = {c: row.get(c, "") for c in columns(name)}
            cells.update(extra(row))
            raw.rows.append((index, cells))
        return raw

    def service_extra(row: dict[str, str]) -> dict[str, str]:
        status = row.get("status", "")
        return {
            "service_types": "; ".join(types.get(row.get("id", ""), [])),
            "languages": "; ".join(service_langs.get(row.get("id", ""), [])),
            "status": IMPORT_STATUS.get(status.lower(), status),
            "assurer": row.get("assurer", "") or row.get("assurer_email", ""),
        }

    def location_extra(row: dict[str, str]) -> dict[str, str]:
        address = addresses.get(row.get("id", ""), {})
        withheld = row.get("address_withheld", "") or row.get("redacted", "")
        return {
            **{n: address.get(n, "") for n in ADDRESS_FIELDS},
            "region": address.get("region", "") or address.get("state_province", ""),
            "address_withheld": withheld,
        }

    raw_tables: RawTables = {
        "organizations": table("organizations", "organization", lambda r: {}),
        "services": table("services", "service", service_extra),
        "locations": table("locations", "location", location_extra),
        "service_at_locations": table("service_at_locations", "service_at_location", lambda r: {}),
        "phones": table(
            "phones",
            "phone",
            lambda r: {"languages": "; ".join(phone_langs.get(r.get("id", ""), []))},
        ),
        "schedules": table("schedules", "schedule", lambda r: {}),
    }
    return raw_tables, problems


def parse_datapackage_bytes(label: str, data: bytes) -> tuple[Any, list[Problem]]:
    """Decode the JSON of a data package, explaining why it cannot be read."""
    try:
        return json.loads(data.decode("utf-8-sig")), []
    except UnicodeDecodeError as exc:
        return None, [Problem(label, None, None, "file_not_utf8", {"position": exc.start})]
    except json.JSONDecodeError as exc:
        return None, [
            Problem(label, None, None, "file_not_json", {"detail": f"line {exc.lineno}: {exc.msg}"})
        ]
