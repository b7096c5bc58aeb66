"""The shape of the routes content (`data/content/routes/`): field names and validation.

`structure_problems()` lists every structural problem of the parsed content files, one
message per problem naming file and entry, so `bot.routes` can refuse broken content
before it builds anything. Pure functions; nothing is read here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def choice_key(text: Any) -> str:
    return " ".join(str(text).lower().replace("-", " ").replace("_", " ").split())


def clean_text(text: Any) -> str:
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
        elif field in raw and len(clean_text(raw[field])) > MAX_TEXT_CHARS:
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
        elif len(clean_text(item["answer"])) > MAX_TEXT_CHARS:
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
