"""Editorial check of the safe-routes content (`python -m bot content check`).

Checks what the loader cannot know: official sources are well-formed https URLs on the
allowlist of official domains, `checked` dates are not in the future, and entries checked
longer ago than `--max-age-days` are listed for review. Structural problems (missing fields,
unknown ids, unsafe YAML) come from `bot.routes`. Exit status 1 when there is any error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot import routes

DEFAULT_MAX_AGE_DAYS = 180
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


@dataclass(frozen=True)
class CheckReport:
    """What the check found: errors fail it; reviews and warnings do not."""

    entries: int
    files: int
    errors: tuple[str, ...]
    due_for_review: tuple[str, ...]
    warnings: tuple[str, ...]


def default_domains_file() -> Path:
    """Where the allowlist of official domains lives in the repository."""
    return routes.default_routes_dir().parent / "official_domains.yml"


def load_official_domains(path: Path | None = None) -> tuple[str, ...]:
    """The allowlisted domains; raises `RoutesContentError` if the file is missing or malformed."""
    file = path or default_domains_file()
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise routes.RoutesContentError(f"{routes.display_path(file)}: cannot read: {exc}") from exc
    items = raw.get("domains") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise routes.RoutesContentError(
            f"{routes.display_path(file)}: needs a non-empty 'domains' list"
        )
    domains = []
    for item in items:
        domain = item.get("domain") if isinstance(item, dict) else None
        if (
            not isinstance(domain, str)
            or not _DOMAIN.match(domain)
            or not str(item.get("owner") or "").strip()
        ):
            raise routes.RoutesContentError(
                f"{routes.display_path(file)}: each item needs a lowercase 'domain' (like gov.uk) "
                f"and an 'owner' (got {item!r})"
            )
        domains.append(domain)
    return tuple(domains)


def is_official_host(host: str, domains: Sequence[str]) -> bool:
    """True when `host` is an allowlisted domain or one of its subdomains."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def url_problems(url: Any, domains: Sequence[str]) -> list[str]:
    """Why this source URL is not acceptable (empty when it is fine)."""
    if not isinstance(url, str) or not url or any(c.isspace() for c in url):
        return [f"source {url!r} is not a well-formed URL (no spaces, one URL per item)"]
    parts = urlsplit(url)
    try:
        host, _port = parts.hostname, parts.port
    except ValueError:
        return [f"source {url!r} is not a well-formed URL"]
    if parts.scheme != "https":
        return [f"source {url!r} must use https:// (got {parts.scheme or 'no scheme'!r})"]
    if not host or "." not in host:
        return [f"source {url!r} is not a well-formed URL (no host name)"]
    if parts.username or parts.password:
        return [f"source {url!r} must not contain a user name or password"]
    if not is_official_host(host, domains):
        return [f"source {url!r}: {host} is not on the official-domains allowlist"]
    return []


def check_content(
    routes_dir: Path | None = None,
    domains_file: Path | None = None,
    today: dt.date | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
) -> CheckReport:
    """Run every check on the content folder and return the findings."""
    today = today or dt.date.today()
    errors: list[str] = []
    try:
        domains = load_official_domains(domains_file)
    except routes.RoutesContentError as exc:
        errors.append(str(exc))
        domains = ()
    try:
        files = routes.routes_files(routes_dir)
    except routes.RoutesContentError as exc:
        return CheckReport(0, 0, (*errors, str(exc)), (), ())
    documents = []
    for file in files:
        try:
            documents.append((file, routes.read_document(file)))
        except routes.RoutesContentError as exc:
            errors.append(str(exc))
    errors += routes.structure_problems(documents)
    reviews: list[str] = []
    entries = 0
    for file, doc in documents:
        for raw in (doc.get("entries") or []) if isinstance(doc, dict) else []:
            if isinstance(raw, dict):
                entries += 1
                label = f"{routes.display_path(file)}: entry {raw.get('id', '?')!r}"
                errors += [f"{label}: {p}" for p in _source_problems(raw.get("sources"), domains)]
                _check_date(label, raw.get("checked"), today, max_age_days, errors, reviews)
    return CheckReport(
        entries, len(files), tuple(errors), tuple(reviews), tuple(_unused_reasons(documents))
    )


def _source_problems(sources: Any, domains: Sequence[str]) -> list[str]:
    if not isinstance(sources, list):
        return []  # reported by the structure check
    return [problem for url in sources for problem in url_problems(url, domains)]


def _check_date(
    label: str, value: Any, today: dt.date, max_age_days: int, errors: list[str], reviews: list[str]
) -> None:
    checked = routes.parse_checked(value)
    if checked is None:
        return  # reported by the structure check
    if checked > today:
        errors.append(f"{label}: checked date {checked} is in the future (today is {today})")
    elif (today - checked).days > max_age_days:
        age = (today - checked).days
        reviews.append(
            f"{label}: last checked {checked}, {age} days ago (more than {max_age_days}): "
            "re-check it against its sources, then update checked and checked_how"
        )


def _unused_reasons(documents: Sequence[tuple[Path, Any]]) -> list[str]:
    defined: dict[str, Path] = {}
    used: set[Any] = set()
    for file, doc in documents:
        if not isinstance(doc, dict):
            continue
        for item in doc.get("reasons") or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                defined.setdefault(item["id"], file)
        finder = doc.get("finder")
        rules = finder.get("rules") if isinstance(finder, dict) else None
        used |= {rule.get("reason") for rule in rules or [] if isinstance(rule, dict)}
    return [
        f"{routes.display_path(f)}: reason {r!r} is not used by any finder rule"
        for r, f in defined.items()
        if r not in used
    ]


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from exc


def _age_arg(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of days, 0 or more: {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot content check",
        description="Check the safe-routes content: fields, official https sources, checked dates.",
    )
    parser.add_argument(
        "--routes", type=Path, default=None, help="routes folder (default: data/content/routes)"
    )
    parser.add_argument(
        "--domains",
        type=Path,
        default=None,
        help="allowlist (default: data/content/official_domains.yml)",
    )
    parser.add_argument(
        "--max-age-days",
        type=_age_arg,
        default=DEFAULT_MAX_AGE_DAYS,
        help=f"list entries checked more than this many days ago (default {DEFAULT_MAX_AGE_DAYS})",
    )
    parser.add_argument(
        "--today", type=_date_arg, default=None, help="date to check against (default: today)"
    )
    return parser


def main_content_check(argv: Sequence[str] | None = None) -> int:
    """Run the check from the command line; print findings; return 1 on errors, else 0."""
    args = _parser().parse_args(argv)
    report = check_content(args.routes, args.domains, args.today, args.max_age_days)
    for line in report.errors:
        print(f"error: {line}")
    for line in report.due_for_review:
        print(f"review: {line}")
    for line in report.warnings:
        print(f"warning: {line}")
    print(
        f"content check: {report.entries} entries in {report.files} files, "
        f"{len(report.errors)} errors, {len(report.due_for_review)} due for review "
        f"(checked more than {args.max_age_days} days ago), {len(report.warnings)} warnings"
    )
    return 1 if report.errors else 0


def main(argv: Sequence[str]) -> int:
    """`python -m bot content check ...`: the content check as a sub-command."""
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m bot content check [--routes DIR] [--domains FILE] "
              "[--max-age-days N] [--today YYYY-MM-DD]")
        return 0 if argv else 2
    if argv[0] != "check":
        print(f"unknown content command: {argv[0]} (only `check`)", file=sys.stderr)
        return 2
    return main_content_check(list(argv[1:]))
