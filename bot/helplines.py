"""Emergency numbers and helplines from `data/content/helplines.yml`, as message payloads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.buttons import MENU


@dataclass(frozen=True)
class Helpline:
    """One number people can call."""

    id: str
    country: str
    country_name: str
    name: str
    number: str
    hours: str
    emergency: bool
    source: str
    checked: dt.date


def default_path() -> Path:
    """Where the helplines file lives in the repository."""
    return Path(__file__).resolve().parent.parent / "data" / "content" / "helplines.yml"


def load_helplines(path: Path | None = None) -> tuple[Helpline, ...]:
    """Read and check the helplines file (every field present, dates not in the future)."""
    raw = yaml.safe_load((path or default_path()).read_text(encoding="utf-8"))
    lines: list[Helpline] = []
    for country in raw["countries"]:
        for entry in country["lines"]:
            checked = entry["checked"]
            if not isinstance(checked, dt.date):
                checked = dt.date.fromisoformat(str(checked))
            if checked > dt.date.today():
                raise ValueError(f"{entry['id']}: checked date {checked} is in the future")
            lines.append(
                Helpline(
                    id=str(entry["id"]),
                    country=str(country["code"]),
                    country_name=str(country["name"]),
                    name=str(entry["name"]),
                    number=str(entry["number"]),
                    hours=str(entry["hours"]),
                    emergency=bool(entry["emergency"]),
                    source=str(entry["source"]),
                    checked=checked,
                )
            )
    return tuple(lines)


@lru_cache(maxsize=1)
def cached_helplines() -> tuple[Helpline, ...]:
    """The repository's helplines, read once on first use."""
    return load_helplines()


def helpline_lines(helplines: tuple[Helpline, ...], countries: tuple[str, ...] = ()) -> list[Any]:
    """Payload arguments listing the helplines by country (all countries when none given)."""
    lines: list[Any] = []
    seen: list[str] = []
    for line in helplines:
        if countries and line.country not in countries:
            continue
        if line.country not in seen:
            seen.append(line.country)
            lines.append({"msg": "helpline_country", "args": {"country": {"t": line.country_name}}})
        lines.append(
            {
                "msg": "helpline_line",
                "args": {"name": {"t": line.name}, "number": line.number, "hours": {"t": line.hours}},
            }
        )
    return lines


def emergency_payload(helplines: tuple[Helpline, ...], countries: tuple[str, ...] = ()) -> dict:
    """The emergency answer: numbers first, then a reassurance, then the menu."""
    return {
        "parts": [
            {"msg": "emergency_intro"},
            {"lines": helpline_lines(helplines, countries)},
            {"msg": "emergency_outro"},
        ],
        "buttons": list(MENU),
    }
