"""Safe-and-legal-routes content (`data/content/routes/`): loading, answers and the route finder.

Everything here is a pure function of the loaded content. Nothing is read at import time;
`load_routes()` reads the YAML files (with `yaml.safe_load` only) and refuses content whose
structure is broken, so the bot never serves half an entry. Question understanding is Rasa's
job: callers pass a question kind (one of `QUESTION_KINDS`) and, optionally, a route id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

QUESTION_KINDS = ("who_can_apply", "children_family", "how_long", "cost", "how_to_apply", "risks")
SERVICE_TYPES = tuple(
    "legal_aid asylum_advice anti_trafficking shelter food health mental_health women "
    "children lgbtq family_tracing destitution".split()
)
STATUSES = ("open", "paused", "closed", "referral_only", "information", "uncertain")
STATUSES_NEEDING_NOTE = ("paused", "closed", "uncertain")
COUNTRIES = ("uk", "france", "any")
REQUIRED_FIELDS = tuple(
    "id country name status for_whom eligibility how_to_apply cost watch_out "
    "free_help sources checked checked_how questions".split()
)
OPTIONAL_FIELDS = ("status_note",)
TEXT_FIELDS = ("name", "for_whom", "eligibility", "how_to_apply", "cost", "checked_how")
FINDER_INPUTS = ("location", "nationality", "family_in_uk", "under_18_alone")
CHOICE_INPUTS = ("location", "nationality")
TOP_LEVEL_KEYS = ("entries", "general_answers", "reasons", "finder")
# Keys whose string values are user-facing English (for the Babel content extractor).
USER_TEXT_KEYS = tuple(
    "name for_whom eligibility how_to_apply cost watch_out status_note answer text "
    "prompt label".split()
)
MAX_TEXT_CHARS = 1200
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


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


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is inside it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def structure_problems(documents: Sequence[tuple[Path, Any]]) -> list[str]:
    """Every structural problem in the documents, one message per problem, naming file and entry."""
    problems: list[str] = []
    seen_ids: dict[str, str] = {}
    merged: dict[str, dict[str, Any]] = {"general_answers": {}, "reasons": {}, "inputs": {}}
    rules: list[tuple[str, int, Any]] = []
    for path, doc in documents:
        file = display_path(path)
        if not isinstance(doc, dict):
            problems.append(
                f"{file}: the file must be a mapping with keys {', '.join(TOP_LEVEL_KEYS)}"
            )
            continue
        problems += [f"{file}: unknown top-level key {k!r}" for k in doc if k not in TOP_LEVEL_KEYS]
        for index, raw in enumerate(_as_list(doc.get("entries"), file, "entries", problems)):
            problems += _entry_problems(file, index, raw, seen_ids)
        _merge_keyed(file, doc, "general_answers", "topic", "answer", merged, problems)
        _merge_keyed(file, doc, "reasons", "id", "text", merged, problems)
        finder = doc.get("finder")
        if finder is not None:
            problems += _finder_shape_problems(file, finder, merged["inputs"], rules)
    missing = [k for k in QUESTION_KINDS if k not in merged["general_answers"]]
    if missing:
        problems.append(f"general_answers: no general answer for {', '.join(missing)}")
    problems += [
        f"finder: input {name!r} is not defined"
        for name in FINDER_INPUTS
        if name not in merged["inputs"]
    ]
    for file, index, rule in rules:
        problems += _rule_problems(file, index, rule, set(seen_ids), merged)
    return problems


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
            {str(a["topic"]): _clean(a["answer"]) for a in doc.get("general_answers") or []}
        )
        reasons.update({str(r["id"]): _clean(r["text"]) for r in doc.get("reasons") or []})
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
    key = _choice_key(raw)
    if not key:
        return None
    spec = content.inputs[name]
    for value in spec.options:
        if key == _choice_key(value):
            return value
    return spec.aliases.get(key, unknown)


def _choice_key(text: Any) -> str:
    return " ".join(str(text).lower().replace("-", " ").replace("_", " ").split())


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
                yield from ((here, _clean(v)) for v in items if isinstance(v, str) and v.strip())
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
        name=_clean(raw["name"]),
        status=raw["status"],
        status_note=_clean(note) if note else None,
        for_whom=_clean(raw["for_whom"]),
        eligibility=_clean(raw["eligibility"]),
        how_to_apply=_clean(raw["how_to_apply"]),
        cost=_clean(raw["cost"]),
        watch_out=tuple(_clean(item) for item in raw["watch_out"]),
        free_help=tuple(raw["free_help"]),
        sources=tuple(raw["sources"]),
        checked=parse_checked(raw["checked"]) or dt.date.min,
        checked_how=_clean(raw["checked_how"]),
        answers={q["topic"]: _clean(q["answer"]) for q in raw["questions"]},
        source_file=file.name,
    )


def _build_input(name: str, spec: dict[str, Any]) -> FinderInput:
    options = {str(o["value"]): _clean(o["label"]) for o in spec.get("options") or []}
    aliases = {_choice_key(k): str(v) for k, v in (spec.get("aliases") or {}).items()}
    return FinderInput(name, _clean(spec["prompt"]), options, aliases)


def _build_rule(raw: dict[str, Any]) -> FinderRule:
    when = {name: tuple(values) for name, values in (raw.get("when") or {}).items()}
    return FinderRule(raw["route"], raw["reason"], int(raw["weight"]), when)


def _matches(value: Any, accepted: tuple[Any, ...]) -> bool:
    return any(value is a or (type(value) is type(a) and value == a) for a in accepted)


def _clean(text: Any) -> str:
    return " ".join(str(text).split())


def parse_checked(value: Any) -> dt.date | None:
    """The `checked` field as a date (YAML dates or ISO strings), or None if it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


# ---- structural validation ----


def _as_list(value: Any, file: str, where: str, problems: list[str]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"{file}: {where} must be a list")
        return []
    return value


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _entry_problems(file: str, index: int, raw: Any, seen_ids: dict[str, str]) -> list[str]:
    if not isinstance(raw, dict):
        return [f"{file}: entries[{index}] must be a mapping"]
    label = f"{file}: entry {raw.get('id', f'#{index}')!r}"
    problems = [f"{label}: missing field {f!r}" for f in REQUIRED_FIELDS if f not in raw]
    problems += [
        f"{label}: unknown field {f!r}" for f in raw if f not in REQUIRED_FIELDS + OPTIONAL_FIELDS
    ]
    entry_id = raw.get("id")
    if "id" in raw and not (isinstance(entry_id, str) and _ID.match(entry_id)):
        problems.append(f"{label}: id must be lowercase letters, digits and _ (got {entry_id!r})")
    elif isinstance(entry_id, str):
        if entry_id in seen_ids:
            problems.append(f"{label}: id already used in {seen_ids[entry_id]}")
        seen_ids.setdefault(entry_id, file)
    for field in TEXT_FIELDS + OPTIONAL_FIELDS:
        if field in raw and not _is_text(raw[field]):
            problems.append(f"{label}: {field} must be non-empty text")
        elif field in raw and len(_clean(raw[field])) > MAX_TEXT_CHARS:
            problems.append(
                f"{label}: {field} is longer than {MAX_TEXT_CHARS} characters; split or shorten it"
            )
    if "country" in raw and raw["country"] not in COUNTRIES:
        problems.append(f"{label}: country must be one of {', '.join(COUNTRIES)}")
    if "status" in raw and raw["status"] not in STATUSES:
        problems.append(f"{label}: status must be one of {', '.join(STATUSES)}")
    if raw.get("status") in STATUSES_NEEDING_NOTE and not raw.get("status_note"):
        problems.append(
            f"{label}: status {raw['status']!r} needs a status_note saying what changed and when"
        )
    problems += _list_problems(
        label, raw, "watch_out", lambda v: _is_text(v) and len(v) <= MAX_TEXT_CHARS
    )
    problems += _list_problems(label, raw, "free_help", lambda v: v in SERVICE_TYPES, SERVICE_TYPES)
    problems += _list_problems(label, raw, "sources", _is_text)
    if "checked" in raw and parse_checked(raw["checked"]) is None:
        problems.append(
            f"{label}: checked must be a date written YYYY-MM-DD (got {raw['checked']!r})"
        )
    problems += _question_problems(label, raw.get("questions"))
    return problems


def _list_problems(
    label: str, raw: dict[str, Any], field: str, ok: Any, allowed: Sequence[str] = ()
) -> list[str]:
    if field not in raw:
        return []
    value = raw[field]
    if not isinstance(value, list) or not value:
        return [f"{label}: {field} must be a non-empty list"]
    hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
    bad = [f"{label}: {field} item {item!r} is not valid{hint}" for item in value if not ok(item)]
    dupes = {item for item in value if isinstance(item, str) and value.count(item) > 1}
    return bad + [f"{label}: {field} lists {item!r} twice" for item in sorted(dupes)]


def _question_problems(label: str, questions: Any) -> list[str]:
    if questions is None:
        return []
    if not isinstance(questions, list) or not questions:
        return [f"{label}: questions must be a non-empty list of topic/answer pairs"]
    problems: list[str] = []
    seen: set[str] = set()
    for item in questions:
        topic = item.get("topic") if isinstance(item, dict) else None
        if topic not in QUESTION_KINDS:
            problems.append(
                f"{label}: question topic {topic!r} is not one of {', '.join(QUESTION_KINDS)}"
            )
        elif topic in seen:
            problems.append(f"{label}: question topic {topic!r} answered twice")
        elif not isinstance(item, dict) or not _is_text(item.get("answer")):
            problems.append(f"{label}: question {topic!r} needs a non-empty answer")
        elif len(_clean(item["answer"])) > MAX_TEXT_CHARS:
            problems.append(
                f"{label}: answer to {topic!r} is longer than {MAX_TEXT_CHARS} characters"
            )
        if isinstance(topic, str):
            seen.add(topic)
    return problems


def _merge_keyed(
    file: str,
    doc: dict[str, Any],
    section: str,
    key: str,
    text_key: str,
    merged: dict[str, dict[str, Any]],
    problems: list[str],
) -> None:
    for item in _as_list(doc.get(section), file, section, problems):
        name = item.get(key) if isinstance(item, dict) else None
        if not isinstance(name, str) or not _is_text(item.get(text_key)):
            problems.append(
                f"{file}: {section} items need {key!r} and non-empty {text_key!r} (got {item!r})"
            )
        elif section == "general_answers" and name not in QUESTION_KINDS:
            problems.append(
                f"{file}: general answer topic {name!r} is not one of {', '.join(QUESTION_KINDS)}"
            )
        elif name in merged[section]:
            problems.append(f"{file}: {section} {name!r} defined twice")
        else:
            merged[section][name] = item[text_key]


def _finder_shape_problems(
    file: str, finder: Any, inputs: dict[str, Any], rules: list[Any]
) -> list[str]:
    if not isinstance(finder, dict) or set(finder) - {"inputs", "rules"}:
        return [f"{file}: finder must be a mapping with 'inputs' and 'rules'"]
    raw_inputs = finder.get("inputs") or {}
    raw_rules = finder.get("rules") or []
    if not isinstance(raw_inputs, dict) or not isinstance(raw_rules, list):
        return [f"{file}: finder inputs must be a mapping and finder rules a list"]
    problems: list[str] = []
    for name, spec in raw_inputs.items():
        problems += _input_problems(f"{file}: finder input {name!r}", name, spec, inputs)
    rules += [(file, i, rule) for i, rule in enumerate(raw_rules)]
    return problems


def _input_problems(where: str, name: Any, spec: Any, inputs: dict[str, Any]) -> list[str]:
    if name not in FINDER_INPUTS:
        return [f"{where}: unknown input (expected one of {', '.join(FINDER_INPUTS)})"]
    if not isinstance(spec, dict) or not _is_text(spec.get("prompt")):
        return [f"{where}: needs a non-empty prompt"]
    options = spec.get("options") or []
    aliases = spec.get("aliases") or {}
    if not isinstance(options, list) or not isinstance(aliases, dict):
        return [f"{where}: options must be a list and aliases a mapping"]
    problems = [f"{where}: needs options"] if name in CHOICE_INPUTS and not options else []
    good = [
        o
        for o in options
        if isinstance(o, dict) and _is_text(o.get("value")) and _is_text(o.get("label"))
    ]
    problems += [
        f"{where}: option {o!r} needs a value and a label" for o in options if o not in good
    ]
    values = {o["value"] for o in good}
    problems += [
        f"{where}: alias {k!r} points to unknown option {v!r}"
        for k, v in aliases.items()
        if not (isinstance(v, str) and v in values)
    ]
    inputs[name] = values
    return problems


def _rule_problems(
    file: str, index: int, rule: Any, ids: set[str], merged: dict[str, dict[str, Any]]
) -> list[str]:
    where = f"{file}: finder rule #{index + 1}"
    if not isinstance(rule, dict) or set(rule) - {"route", "reason", "weight", "when"}:
        return [f"{where}: a rule has only route, reason, weight and when"]
    problems: list[str] = []
    if rule.get("route") not in ids:
        problems.append(f"{where}: route {rule.get('route')!r} is not an entry id")
    if rule.get("reason") not in merged["reasons"]:
        problems.append(f"{where}: reason {rule.get('reason')!r} is not defined in reasons")
    weight = rule.get("weight")
    if not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0:
        problems.append(f"{where}: weight must be a positive whole number")
    when = rule.get("when") or {}
    if not isinstance(when, dict):
        return problems + [f"{where}: when must map inputs to lists of values"]
    for name, values in when.items():
        if name not in FINDER_INPUTS or not isinstance(values, list) or not values:
            problems.append(
                f"{where}: when.{name} must be a known input with a non-empty list of values"
            )
            continue
        allowed = merged["inputs"].get(name, set()) if name in CHOICE_INPUTS else {"true", "false"}
        choices = ", ".join(sorted(allowed))
        problems += [
            f"{where}: when.{name} value {v!r} is not allowed (use one of {choices} or null)"
            for v in values
            if not _allowed_condition(name, v, allowed)
        ]
    return problems


def _allowed_condition(name: str, value: Any, allowed: set[str]) -> bool:
    if value is None:
        return True
    if name in CHOICE_INPUTS:
        return isinstance(value, str) and value in allowed
    return isinstance(value, bool)
