"""A small valid directory as raw spreadsheet cells, and helpers to write and break it."""

from __future__ import annotations

import copy
import csv
from datetime import date
from pathlib import Path

from bot.directory.model import TABLES, columns, file_name

TODAY = date(2026, 11, 22)
Raw = dict[str, list[dict[str, str]]]

BASE: Raw = {
    "organizations": [
        {
            "id": "org-a",
            "name": "Alpha Aid",
            "website": "https://alpha.example.org",
            "description": "Legal help.",
        },
        {"id": "org-b", "name": "Beta Shelter", "website": "https://beta.example.org"},
    ],
    "services": [
        {
            "id": "svc-legal",
            "organization_id": "org-a",
            "name": "Legal advice",
            "service_types": "legal_aid; asylum_advice",
            "languages": "en; ar",
            "status": "active",
            "assured_date": "2026-10-01",
            "assurer": "Ana (NGO staff)",
        },
        {
            "id": "svc-shelter",
            "organization_id": "org-b",
            "name": "Night shelter",
            "service_types": "shelter",
            "languages": "fr",
            "status": "active",
            "assured_date": "2025-01-10",
            "assurer": "Ben",
        },
        {
            "id": "svc-line",
            "organization_id": "org-b",
            "name": "Helpline",
            "service_types": "anti_trafficking",
            "languages": "en",
            "status": "active",
            "assured_date": "",
            "assurer": "",
        },
    ],
    "locations": [
        {
            "id": "loc-london",
            "organization_id": "org-a",
            "city": "London",
            "country": "GB",
            "latitude": "51.50853",
            "longitude": "-0.12574",
            "approximate": "yes",
        },
        {
            "id": "loc-calais",
            "organization_id": "org-b",
            "city": "Calais",
            "country": "FR",
            "latitude": "50.95194",
            "longitude": "1.85635",
            "approximate": "yes",
            "address_withheld": "yes",
        },
        {
            "id": "loc-gb",
            "organization_id": "org-b",
            "name": "United Kingdom (national)",
            "location_type": "virtual",
            "country": "GB",
        },
    ],
    "service_at_locations": [
        {"id": "sal-legal-london", "service_id": "svc-legal", "location_id": "loc-london"},
        {"id": "sal-shelter-calais", "service_id": "svc-shelter", "location_id": "loc-calais"},
        {"id": "sal-line-gb", "service_id": "svc-line", "location_id": "loc-gb"},
    ],
    "phones": [
        {
            "id": "ph-legal",
            "service_id": "svc-legal",
            "number": "020 7946 0123",
            "languages": "en; ar",
        },
        {"id": "ph-shelter", "service_id": "svc-shelter", "number": "115"},
        {"id": "ph-line", "service_id": "svc-line", "number": "08000 121 700", "type": "hotline"},
    ],
    "schedules": [
        {
            "id": "sch-legal",
            "service_id": "svc-legal",
            "byday": "MO-FR",
            "opens_at": "9:30",
            "closes_at": "17:00",
        },
        {
            "id": "sch-line",
            "service_id": "svc-line",
            "byday": "MO,TU,WE,TH,FR,SA,SU",
            "opens_at": "00:00",
            "closes_at": "24:00",
        },
    ],
}


def base() -> Raw:
    """Return a fresh copy of the valid base directory."""
    return copy.deepcopy(BASE)


def write_folder(folder: Path, raw: Raw) -> Path:
    """Write raw cells as the six CSV files (all standard columns) into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        with (folder / file_name(table)).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns(table))
            for row in raw.get(table, []):
                writer.writerow([row.get(c, "") for c in columns(table)])
    return folder
