"""Safe-and-legal-routes content (`data/content/routes/`): loading, answers and the route finder.

Everything here is a pure function of the loaded content. Nothing is read at import time;
`load_routes()` reads the YAML files (with `yaml.safe_load` only) and refuses content whose
structure is broken, so the bot never serves half an entry. Question understanding is Rasa's
job: callers pass a question kind (one of `QUESTION_KINDS`) and, optionally, a route id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.routes_schema import (  # noqa: F401  (re-exported: the content's vocabulary)
    CHOICE_INPUTS,
    COUNTRIES,
    FINDER_INPUTS,
    MAX_TEXT_CHARS,
    OPTIONAL_FIELDS,
    QUESTION_KINDS,
    REQUIRED_FIELDS,
    SERVICE_TYPES,
    STATUSES,
    STATUSES_NEEDING_NOTE,
    TEXT_FIELDS,
    TOP_LEVEL_KEYS,
    USER_TEXT_KEYS,
    choice_key,
    clean_text,
    display_path,
    parse_checked,
    structure_problems,
)


class RoutesContentError(ValueError):
    """The routes content cannot be used; the message names the file and entry."""


class UnknownRouteError(LookupError):
    """No route or topic entry has this id."""


@dataclass(frozen=True)
class RouteEntry:
    """One route or topic, as written by the content editors."""

    id: str
    country: str
    name: str
    status: str
    status_note: str | None
    for_whom: str
    eligibility: str
    how_to_apply: str
    cost: str
    watch_out: tuple[str, ...]
    free_help: tuple[str, ...]
    sources: tuple[str, ...]
    checked: dt.date
    checked_how: str
    answers: Mapping[str, str]
    source_file: str


@dataclass(frozen=True)
class FinderRule:
    """If every listed input has one of its values, `route` gains `weight` and `reason`."""

    route: str
    reason: str
    weight: int
    when: Mapping[str, tuple[Any, ...]]


@dataclass(frozen=True)
class FinderInput:
    """A finder question: its prompt, answer options and spelling variants."""

    name: str
    prompt: str
    options: Mapping[str, str]
    aliases: Mapping[str, str]


@dataclass(frozen=True)
class Answer:
    """The answer to one kind of question; `general` when no route-specific text exists."""

    kind: str
    text: str
    route_id: str | None
    general: bool


@dataclass(frozen=True)
class RoutesContent:
    """All routes content, merged from every file in the routes folder."""

    entries: tuple[RouteEntry, ...]
    general_answers: Mapping[str, str]
    reasons: Mapping[str, str]
    inputs: Mapping[str, FinderInput]
    rules: tuple[FinderRule, ...]

    def entry(self, route_id: str) -> RouteEntry:
        """The entry with this id, or `UnknownRouteError`."""
        for entry in self.entries:
            if entry.id == route_id:
                return entry
        raise UnknownRouteError(f"no route or topic with id {route_id!r}")


def default_routes_dir() -> Path:
    """Where the routes content lives in the repository."""
    return Path(__file__).resolve().parent.parent / "data" / "content" / "routes"


def routes_files(path: Path | None = None) -> list[Path]:
    """The content files: `path` itself if it is a file, else its `.yml`/`.yaml` files, sorted."""
    root = path or default_routes_dir()
    if root.is_file():
        return [root]
    files = (
        sorted(p for p in root.iterdir() if p.suffix in (".yml", ".yaml")) if root.is_dir() else []
    )
    if not files:
        raise RoutesContentError(f"{display_path(root)}: no .yml content files found")
    return files


def read_document(file: Path) -> Any:
    """Parse one content file with `yaml.safe_load`; unsafe tags and bad YAML are refused."""
    try:
        return yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:  # includes unsafe tags such as !!python/object
        raise RoutesContentError(f"{display_path(file)}: not valid safe YAML: {exc}") from exc


def read_documents(path: Path | None = None) -> list[tuple[Path, Any]]:
    """Parse every content file of the routes folder (or one file)."""
    return [(file, read_document(file)) for file in routes_files(path)]


def load_routes(path: Path | None = None) -> RoutesContent:
    """Read the routes content (default: the repository's), refusing broken or unsafe files."""
    documents = read_documents(path)
    problems = structure_problems(documents)
    if problems:
        raise RoutesContentError("routes content is broken:\n" + "\n".join(problems))
    entries: list[RouteEntry] = []
    general: dict[str, str] = {}
    reasons: dict[str, str] = {}
    inputs: dict[str, FinderInput] = {}
    rules: list[FinderRule] = []
    for file, doc in documents:
        entries += [_build_entry(file, raw) for raw in doc.get("entries") or []]
        general.update(
            {str(a["topic"]): clean_text(a["answer"]) for a in doc.get("general_answers") or []}
        )
        reasons.update({str(r["id"]): clean_text(r["text"]) for r in doc.get("reasons") or []})
        finder = doc.get("finder") or {}
        for name, spec in (finder.get("inputs") or {}).items():
            inputs[name] = _build_input(name, spec)
        rules += [_build_rule(raw) for raw in finder.get("rules") or []]
    return RoutesContent(tuple(entries), general, reasons, inputs, tuple(rules))


@lru_cache(maxsize=1)
def _default_content() -> RoutesContent:
    return load_routes()


def find_topic(
    question_kind: str, route_id: str | None, content: RoutesContent | None = None
) -> Answer:
    """Answer a kind of question about one route, or in general when `route_id` is None.

    Falls back to the general answer when the route has no text for that kind.
    Raises `ValueError` for an unknown kind and `UnknownRouteError` for an unknown route.
    """
    if question_kind not in QUESTION_KINDS:
        raise ValueError(
            f"unknown question kind {question_kind!r}; expected one of {QUESTION_KINDS}"
        )
    routes = content or _default_content()
    if route_id is None:
        return Answer(question_kind, routes.general_answers[question_kind], None, True)
    text = routes.entry(route_id).answers.get(question_kind)
    if text is None:
        return Answer(question_kind, routes.general_answers[question_kind], route_id, True)
    return Answer(question_kind, text, route_id, False)


def routes_for_profile(
    location: str | None,
    nationality: str | None,
    family_in_uk: bool | None,
    under_18_alone: bool | None,
    content: RoutesContent | None = None,
) -> list[tuple[str, list[str]]]:
    """Routes worth reading for this person, best first, each with the ids of its reasons.

    Every argument may be None (question skipped). `location` is where the person is now
    (`uk`, `france`, `elsewhere`, or a spelling variant; unrecognised text counts as skipped);
    `nationality` is matched against the finder's variants (anything else counts as `other`);
    `family_in_uk` means a partner or parent has refugee status or humanitarian protection
    in the UK. The rules and reason texts are data in the finder file.
    """
    for name, value in (("family_in_uk", family_in_uk), ("under_18_alone", under_18_alone)):
        if value is not None and not isinstance(value, bool):
            raise TypeError(f"{name} must be True, False or None, not {value!r}")
    routes = content or _default_content()
    profile: dict[str, Any] = {
        "location": normalise_choice(routes, "location", location, unknown=None),
        "nationality": normalise_choice(routes, "nationality", nationality, unknown="other"),
        "family_in_uk": family_in_uk,
        "under_18_alone": under_18_alone,
    }
    scores: dict[str, int] = {}
    reasons: dict[str, list[str]] = {}
    for rule in routes.rules:
        if all(_matches(profile[name], accepted) for name, accepted in rule.when.items()):
            scores[rule.route] = scores.get(rule.route, 0) + rule.weight
            found = reasons.setdefault(rule.route, [])
            if rule.reason not in found:
                found.append(rule.reason)
    first_seen = list(scores)
    ranked = sorted(scores, key=lambda route: (-scores[route], first_seen.index(route)))
    return [(route, reasons[route]) for route in ranked]


def normalise_choice(
    content: RoutesContent, name: str, raw: str | None, unknown: str | None
) -> str | None:
    """Map free text or an option value to a finder option; `unknown` when nothing matches."""
    if raw is None:
        return None
    key = choice_key(raw)
    if not key:
        return None
    spec = content.inputs[name]
    for value in spec.options:
        if key == choice_key(value):
            return value
    return spec.aliases.get(key, unknown)


def reason_text(reason_id: str, content: RoutesContent | None = None) -> str:
    """The English text of a finder reason."""
    return (content or _default_content()).reasons[reason_id]


def iter_user_texts(document: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(YAML path, text) for every user-facing string of one parsed routes file."""
    if isinstance(document, dict):
        ident = document.get("id") or document.get("topic") or document.get("value")
        for key, value in document.items():
            here = f"{path}/{ident}.{key}" if ident else f"{path}/{key}"
            if key in USER_TEXT_KEYS:
                items = value if isinstance(value, list) else [value]
                yield from ((here, clean_text(v)) for v in items if isinstance(v, str) and v.strip())
            else:
                yield from iter_user_texts(value, here)
    elif isinstance(document, list):
        for item in document:
            yield from iter_user_texts(item, path)


# ---- building (only called on content that passed `structure_problems`) ----


def _build_entry(file: Path, raw: dict[str, Any]) -> RouteEntry:
    note = raw.get("status_note")
    return RouteEntry(
        id=raw["id"],
        country=raw["country"],
        name=clean_text(raw["name"]),
        status=raw["status"],
        status_note=clean_text(note) if note else None,
        for_whom=clean_text(raw["for_whom"]),
        eligibility=clean_text(raw["eligibility"]),
        how_to_apply=clean_text(raw["how_to_apply"]),
        cost=clean_text(raw["cost"]),
        watch_out=tuple(clean_text(item) for item in raw["watch_out"]),
        free_help=tuple(raw["free_help"]),
        sources=tuple(raw["sources"]),
        checked=parse_checked(raw["checked"]) or dt.date.min,
        checked_how=clean_text(raw["checked_how"]),
        answers={q["topic"]: clean_text(q["answer"]) for q in raw["questions"]},
        source_file=file.name,
    )


def _build_input(name: str, spec: dict[str, Any]) -> FinderInput:
    options = {str(o["value"]): clean_text(o["label"]) for o in spec.get("options") or []}
    aliases = {choice_key(k): str(v) for k, v in (spec.get("aliases") or {}).items()}
    return FinderInput(name, clean_text(spec["prompt"]), options, aliases)


def _build_rule(raw: dict[str, Any]) -> FinderRule:
    when = {name: tuple(values) for name, values in (raw.get("when") or {}).items()}
    return FinderRule(raw["route"], raw["reason"], int(raw["weight"]), when)


def _matches(value: Any, accepted: tuple[Any, ...]) -> bool:
    return any(value is a or (type(value) is type(a) and value == a) for a in accepted)


