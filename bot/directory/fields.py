"""Normalise one cell by the kind of its column: each returns (value, (problem code, params))."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from babel import Locale

from bot.directory.model import DAYS, LOCATION_TYPES, PHONE_TYPES, STATUSES, Field
from bot.directory.taxonomy import Taxonomy

Issue = tuple[str, dict[str, Any]]
Result = tuple[str, "Issue | None"]

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_CHARS_RE = re.compile(r"^\+?[0-9 ()./\-]+$")
TIME_RE = re.compile(r"^(\d{1,2})[:h.](\d{2})(?::(\d{2}))?$")
FORMULA_START = "=+-@"
NUMERIC_KINDS = frozenset({"phone", "latitude", "longitude"})
_DAY_NAMES = {
    "MON": "MO",
    "MONDAY": "MO",
    "TUE": "TU",
    "TUESDAY": "TU",
    "WED": "WE",
    "WEDNESDAY": "WE",
    "THU": "TH",
    "THURSDAY": "TH",
    "FRI": "FR",
    "FRIDAY": "FR",
    "SAT": "SA",
    "SATURDAY": "SA",
    "SUN": "SU",
    "SUNDAY": "SU",
}
_TRUE = {"yes", "y", "true", "1", "oui"}
_FALSE = {"no", "n", "false", "0", "non", ""}
_STATUS_ALIASES = {
    "inactive": "closed",
    "defunct": "closed",
    "temporarily_closed": "temporarily closed",
}


def formula_issue(raw: str, kind: str) -> Issue | None:
    """Refuse cells that a spreadsheet would run as a formula (CSV injection)."""
    stripped = raw.strip()
    if raw[:1] in ("\t", "\r") and stripped:
        return "formula_cell", {"char": "tab" if raw[:1] == "\t" else "carriage return"}
    first = stripped[:1]
    if first and first in FORMULA_START:
        if kind in NUMERIC_KINDS and first in "+-":
            return None  # +44 20..., -0.12: checked strictly by their own parsers
        return "formula_cell", {"char": first}
    return None


def _control_chars(value: str, allow_newlines: bool) -> bool:
    allowed = {"\n"} if allow_newlines else set()
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value)


def norm_text(value: str, f: Field) -> Result:
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if f.kind == "text":
        value = " ".join(value.split())
    if _control_chars(value, allow_newlines=True):
        return value, ("control_chars", {})
    if len(value) > f.max_len:
        return value, ("too_long", {"length": len(value), "limit": f.max_len})
    return value, None


def norm_id(value: str, f: Field) -> Result:
    value = value.strip()
    if value and not ID_RE.match(value):
        return value, ("bad_id", {"value": value})
    return value, None


def norm_url(value: str, f: Field) -> Result:
    value = value.strip()
    if not value:
        return value, None
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() for c in value)
        or len(value) > f.max_len
    ):
        return value, ("bad_url", {"value": value})
    return value, None


def norm_email(value: str, f: Field) -> Result:
    value = value.strip()
    if value and (not EMAIL_RE.match(value) or len(value) > f.max_len):
        return value, ("bad_email", {"value": value})
    return value, None


def norm_bool(value: str, f: Field) -> Result:
    low = value.strip().lower()
    if low in _TRUE:
        return "yes", None
    if low in _FALSE:
        return "no", None
    return value.strip(), ("bad_bool", {"value": value.strip()})


def _choice(value: str, allowed: tuple[str, ...], default: str) -> Result:
    low = value.strip().lower()
    if not low:
        return default, None
    if low in allowed:
        return low, None
    return value.strip(), ("bad_choice", {"value": value.strip(), "allowed": ", ".join(allowed)})


def norm_status(value: str, f: Field) -> Result:
    low = " ".join(value.strip().lower().replace("_", " ").split())
    low = _STATUS_ALIASES.get(low.replace(" ", "_"), _STATUS_ALIASES.get(low, low))
    if not low or low in STATUSES:
        return low, None
    return value.strip(), ("bad_status", {"value": value.strip()})


@functools.lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def country_name(code: str) -> str:
    """Return the English name of an ISO 3166-1 country code, or the code itself."""
    return str(Locale("en").territories.get(code, code))


def norm_country(value: str, f: Field) -> Result:
    code = value.strip().upper()
    if code == "UK":
        code = "GB"
    if code and code not in _countries():
        return value.strip(), ("bad_country", {"value": value.strip()})
    return code, None


def _coordinate(value: str, limit: float, code: str) -> Result:
    text = value.strip()
    if not text:
        return "", None
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma from French spreadsheets
    try:
        number = float(text)
    except ValueError:
        return value.strip(), ("bad_number", {"value": value.strip()})
    if not math.isfinite(number):
        return value.strip(), ("bad_number", {"value": value.strip()})
    if not -limit <= number <= limit:
        return value.strip(), (code, {"value": value.strip()})
    return repr(number), None


def norm_latitude(value: str, f: Field) -> Result:
    return _coordinate(value, 90.0, "latitude_range")


def norm_longitude(value: str, f: Field) -> Result:
    return _coordinate(value, 180.0, "longitude_range")


def parse_date(text: str) -> date | None:
    """Parse YYYY-MM-DD, or DD/MM/YYYY as UK and French spreadsheets save dates."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def norm_date(value: str, f: Field) -> Result:
    if not value.strip():
        return "", None
    parsed = parse_date(value)
    if parsed is None:
        return value.strip(), ("bad_date", {"value": value.strip()})
    return parsed.isoformat(), None


def norm_time(value: str, f: Field) -> Result:
    text = value.strip().lower()
    if not text:
        return "", None
    match = TIME_RE.match(text)
    if match:
        hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        if (hours < 24 and minutes < 60 and seconds == 0) or (hours, minutes, seconds) == (
            24,
            0,
            0,
        ):
            return f"{hours:02d}:{minutes:02d}", None
    return value.strip(), ("bad_time", {"value": value.strip()})


def norm_byday(value: str, f: Field) -> Result:
    text = value.strip().upper()
    if not text:
        return "", None
    days: set[str] = set()
    for token in re.split(r"[,;\s]+", text):
        if not token:
            continue
        if "-" in token:
            start, _, end = token.partition("-")
            start, end = _DAY_NAMES.get(start, start), _DAY_NAMES.get(end, end)
            if start not in DAYS or end not in DAYS or DAYS.index(start) > DAYS.index(end):
                return value.strip(), ("bad_byday", {"value": value.strip()})
            days.update(DAYS[DAYS.index(start) : DAYS.index(end) + 1])
            continue
        day = _DAY_NAMES.get(token, token)
        if day not in DAYS:
            return value.strip(), ("bad_byday", {"value": value.strip()})
        days.add(day)
    return ",".join(d for d in DAYS if d in days), None


def norm_freq(value: str, f: Field) -> Result:
    text = value.strip().upper()
    if text in ("", "WEEKLY"):
        return "WEEKLY", None
    return value.strip(), ("bad_freq", {"value": value.strip()})


def norm_phone_chars(value: str, f: Field) -> Result:
    text = value.strip()
    if text and not PHONE_CHARS_RE.match(text):
        return text, ("bad_phone_chars", {"value": text})
    if len(text) > f.max_len:
        return text, ("too_long", {"length": len(text), "limit": f.max_len})
    return text, None


def _split_items(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[;,]", value) if item.strip()]


def norm_languages(value: str, taxonomy: Taxonomy) -> Result:
    codes: list[str] = []
    for item in _split_items(value):
        code = item.lower().replace("_", "-")
        if code not in taxonomy.languages:
            suggestion = taxonomy.language_code_for_name(item)
            if suggestion:
                return value.strip(), (
                    "language_name_not_code",
                    {"value": item, "code": suggestion},
                )
            return value.strip(), ("unknown_language", {"value": item})
        if code not in codes:
            codes.append(code)
    return "; ".join(codes), None


def norm_service_types(value: str, taxonomy: Taxonomy) -> Result:
    ids: list[str] = []
    for item in _split_items(value):
        key = item.lower().replace(" ", "_").replace("-", "_")
        if key not in taxonomy.service_types:
            return value.strip(), (
                "unknown_service_type",
                {"value": item, "known": ", ".join(taxonomy.service_types)},
            )
        if key not in ids:
            ids.append(key)
    return "; ".join(ids), None


NORMALISERS: dict[str, Callable[[str, Field], Result]] = {
    "id": norm_id,
    "ref": norm_id,
    "text": norm_text,
    "longtext": norm_text,
    "url": norm_url,
    "email": norm_email,
    "bool": norm_bool,
    "status": norm_status,
    "country": norm_country,
    "latitude": norm_latitude,
    "longitude": norm_longitude,
    "date": norm_date,
    "assured_date": norm_date,
    "time": norm_time,
    "byday": norm_byday,
    "freq": norm_freq,
    "phone": norm_phone_chars,
    "location_type": lambda v, f: _choice(v, LOCATION_TYPES, "physical"),
    "phone_type": lambda v, f: _choice(v, PHONE_TYPES, ""),
}


def normalise_cell(raw: str, f: Field, taxonomy: Taxonomy) -> Result:
    """Normalise one raw cell of column f, or say what is wrong with it."""
    issue = formula_issue(raw, f.kind)
    if issue:
        return raw.strip(), issue
    if f.kind == "languages":
        return norm_languages(raw, taxonomy)
    if f.kind == "service_types":
        return norm_service_types(raw, taxonomy)
    return NORMALISERS[f.kind](raw, f)
