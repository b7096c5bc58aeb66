"""Answers about safe routes, asylum and legal aid, and the guided route finder, from content.

Rasa only says what a message is about (the intents safe_routes, claim_asylum, legal_aid).
This module reads the rest from the words, with small keyword tables per language in
`data/content/routes/keywords/` (how they match is explained at the top of
`question_keywords.yml`): which route or topic (an entry of `data/content/routes/`), which
kind of question (`bot.routes.QUESTION_KINDS`), whether the person asks for the finder, and
whether they ask something the content does not cover. It then builds the message payloads
(`bot.render`) that answer: every sentence is a message of `bot/messages_routes.py` or a
content text sent as {"t": english} for translation, with the official source and the date
the content was checked.

Everything here is a pure function of its arguments and of the content; the files are read
on first use, never at import. The Rasa actions (`actions/routes.py`,
`actions/route_finder.py`) only read the tracker and call these functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot import routes
from bot.buttons import MENU
from bot.languages import SUPPORTED
from bot.routes import FINDER_INPUTS, QUESTION_KINDS, RouteEntry, RoutesContent

ROUTE_INTENTS = ("safe_routes", "claim_asylum", "legal_aid")
# Intents whose message may start the finder (answered by action_safe_routes and, right after
# a routes answer, action_route_followup; the action then activates the form).
FINDER_START_INTENTS = ("safe_routes", "nlu_fallback", "out_of_scope")
LANGUAGE_STATUSES = ("tested", "draft")
COUNTRIES = ("uk", "france")
KEYWORD_FILES = ("question_keywords.yml", "route_keywords.yml", "finder_keywords.yml")
SECTION_KEYS: Mapping[str, tuple[str, ...]] = {
    "question_keywords.yml": ("status", "kinds", "finder", "uncovered"),
    "route_keywords.yml": ("status", "routes"),
    "finder_keywords.yml": ("status", "yes_answers", "no_answers", "skip_answers", "location", "nationality"),
}

FINDER_FORM = "route_finder"
FINDER_SLOTS: Mapping[str, str] = {name: f"finder_{name}" for name in FINDER_INPUTS}
YES_NO_INPUTS = ("family_in_uk", "under_18_alone")
SKIPPED, YES, NO = "skipped", "yes", "no"
MAX_FINDER_ROUTES = 5
SHORT_ANSWER_WORDS = 4

# Topics offered as buttons under a route's overview (its card already says who it is for,
# who qualifies and what it costs).
CARD_KINDS = ("how_to_apply", "how_long", "children_family", "risks")
STATUS_SHOWN = ("paused", "closed", "referral_only", "uncertain")


class KeywordTablesError(ValueError):
    """The keyword tables cannot be used; the message lists every problem."""


# ---- folding and matching words ---------------------------------------------------------

# The same folding as the NLU tokenizer (bot.nlu_components.fold_text, not imported here:
# that module loads Rasa): lower case, accents and Arabic diacritics dropped, Arabic letter
# variants unified, long repeats shortened.
_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
     "ی": "ي", "ک": "ك", "ـ": None}
)
_REPEATS = re.compile(r"(.)\1{2,}")
_WORD = re.compile(r"[^\W_]+\*?")
# Arabic-script words also match without a leading conjunction, preposition or article.
_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def fold(text: str) -> str:
    """Fold text the way the language model sees it (see the comment above)."""
    text = text.lower().translate(_LETTERS)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _REPEATS.sub(r"\1\1", unicodedata.normalize("NFC", text))


def words(text: str) -> list[str]:
    """The folded words of a message; punctuation separates words and is dropped."""
    return [word.rstrip("*") for word in _WORD.findall(fold(text))]


def _variants(word: str) -> tuple[str, ...]:
    found = [word]
    for stem in found:  # grows while it is read: "وباللجوء" -> "باللجوء" -> "لجوء"
        for prefix in _CLITICS:
            rest = stem[len(prefix):]
            if stem.startswith(prefix) and len(rest) >= 2 and rest not in found and len(found) < 12:
                found.append(rest)
    return tuple(found)


@dataclass(frozen=True)
class Keyword:
    """One table entry: phrases that must all appear (a plain keyword is one phrase)."""

    phrases: tuple[tuple[str, ...], ...]

    @property
    def weight(self) -> int:
        """How much a match counts: its number of words."""
        return sum(len(phrase) for phrase in self.phrases)


@dataclass(frozen=True)
class Prepared:
    """A message ready for matching: each word with its clitic-free variants."""

    variants: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, text: str) -> Prepared:
        """Prepare a message; button payloads ("/intent{...}") have no words."""
        if text.lstrip().startswith("/"):
            return cls(())
        return cls(tuple(_variants(word) for word in words(text)))

    @property
    def whole(self) -> str:
        """The folded message as one string (for answers that must be the whole message)."""
        return " ".join(variants[0] for variants in self.variants)


def _word_matches(keyword_word: str, variants: tuple[str, ...]) -> bool:
    if keyword_word.endswith("*"):
        stem = keyword_word[:-1]
        return any(variant.startswith(stem) for variant in variants)
    return keyword_word in variants


def find(
    keyword: Keyword, message: Prepared, excluded: frozenset[int] = frozenset()
) -> frozenset[int] | None:
    """The positions of the words a keyword matches, or None when it does not match."""
    used: set[int] = set()
    for phrase in keyword.phrases:
        size = len(phrase)
        for start in range(len(message.variants) - size + 1):
            span = range(start, start + size)
            if excluded.isdisjoint(span) and all(
                _word_matches(word, message.variants[start + i]) for i, word in enumerate(phrase)
            ):
                used.update(span)
                break
        else:
            return None
    return frozenset(used)


def best_match(
    table: Mapping[str, Sequence[Keyword]], message: Prepared, excluded: frozenset[int] = frozenset()
) -> tuple[str | None, frozenset[int]]:
    """The name whose keywords match best (most words; first listed on a tie) and its words."""
    best: str | None = None
    best_score = 0
    best_used: frozenset[int] = frozenset()
    for name, keywords in table.items():
        score, used = 0, set()
        for keyword in keywords:
            hit = find(keyword, message, excluded)
            if hit is not None:
                score += keyword.weight
                used |= hit
        if score > best_score:
            best, best_score, best_used = name, score, frozenset(used)
    return best, best_used


def any_match(keywords: Iterable[Keyword], message: Prepared) -> bool:
    """Tell whether any of the keywords matches."""
    return any(find(keyword, message) is not None for keyword in keywords)


# ---- the keyword tables ---------------------------------------------------------------


@dataclass(frozen=True)
class LanguageKeywords:
    """One language's tables (see the comments in the keyword files)."""

    status: str
    kinds: Mapping[str, tuple[Keyword, ...]]
    finder: tuple[Keyword, ...]
    uncovered: tuple[Keyword, ...]
    routes: Mapping[str, tuple[Keyword, ...]]
    countries: Mapping[str, tuple[Keyword, ...]]
    yes: frozenset[str]
    no: frozenset[str]
    skip: frozenset[str]
    location: Mapping[str, tuple[Keyword, ...]]
    nationality: Mapping[str, tuple[Keyword, ...]]


@dataclass(frozen=True)
class KeywordTables:
    """Every keyword table, and what to do when a message names no route."""

    languages: Mapping[str, LanguageKeywords]
    route_countries: Mapping[str, tuple[str, ...]]
    defaults: Mapping[str, Mapping[str, str]]
    follow_up: Mapping[str, tuple[str, ...]]
    button_intents: Mapping[str, str]
    overview: Mapping[str, tuple[str, ...]]

    def for_language(self, lang: str | None) -> list[LanguageKeywords]:
        """The tables used for a message in `lang`: its own, then English."""
        codes = dict.fromkeys((lang or "en", "en"))
        return [self.languages[code] for code in codes if code in self.languages]


def default_keywords_dir() -> Path:
    """Where the keyword tables live in the repository."""
    return routes.default_routes_dir() / "keywords"


@lru_cache(maxsize=1)
def routes_content() -> RoutesContent:
    """The repository's routes content, read once."""
    return routes.load_routes()


@lru_cache(maxsize=1)
def keyword_tables() -> KeywordTables:
    """The repository's keyword tables, read and checked once."""
    return load_keyword_tables(content=routes_content())


def load_keyword_tables(folder: Path | None = None, content: RoutesContent | None = None) -> KeywordTables:
    """Read the keyword tables (`yaml.safe_load`), refusing them if anything is wrong."""
    root = folder or default_keywords_dir()
    content = content or routes_content()
    docs: dict[str, Any] = {}
    problems: list[str] = []
    for name in KEYWORD_FILES:
        try:
            docs[name] = yaml.safe_load((root / name).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            problems.append(f"{name}: cannot read: {exc}")
            docs[name] = {}
        if not isinstance(docs[name], dict):
            problems.append(f"{name}: must be a mapping")
            docs[name] = {}
    checker = _Checker(content, problems)
    tables = checker.build(docs)
    if problems:
        raise KeywordTablesError("keyword tables are broken:\n" + "\n".join(problems))
    return tables


class _Checker:
    """Builds the tables from the parsed files and notes every problem on the way."""

    def __init__(self, content: RoutesContent, problems: list[str]) -> None:
        self.content = content
        self.problems = problems
        self.route_ids = tuple(entry.id for entry in content.entries)

    def build(self, docs: Mapping[str, Any]) -> KeywordTables:
        """The tables of every language, and the route settings of route_keywords.yml."""
        by_file = {file: self._languages(file, docs[file]) for file in KEYWORD_FILES}
        route_doc = docs["route_keywords.yml"]
        countries = self._mapping("route_keywords.yml: countries", route_doc.get("countries"))
        for code in countries:
            self._language_code("route_keywords.yml: countries", code)
        codes = dict.fromkeys([*countries, *(code for langs in by_file.values() for code in langs)])
        languages = {code: self._language(code, by_file, countries.get(code)) for code in codes}
        self._english_is_complete(languages.get("en"))
        button_intents = self._intent_routes("button_intents", route_doc.get("button_intents"))
        return KeywordTables(
            languages=languages,
            route_countries=self._route_countries(route_doc.get("route_countries")),
            defaults=self._defaults(route_doc.get("defaults")),
            follow_up=self._intent_routes("follow_up", route_doc.get("follow_up")),
            button_intents={route: intent for intent, ids in button_intents.items() for route in ids},
            overview=self._intent_routes("overview", route_doc.get("overview")),
        )

    def _language(self, code: str, by_file: Mapping[str, Any], countries: Any) -> LanguageKeywords:
        sections = {f: self._mapping(f"{f}: {code}", langs.get(code)) for f, langs in by_file.items()}
        for file, section in sections.items():
            unknown = sorted(map(str, set(section) - set(SECTION_KEYS[file])))
            if unknown:
                self.problems.append(f"{file}: {code}: unknown keys {', '.join(unknown)} "
                                     f"(expected {', '.join(SECTION_KEYS[file])})")
        statuses = [self._status(f"{file}: {code}", section) for file, section in sections.items() if section]
        q, r, f = (sections[file] for file in KEYWORD_FILES)
        where_q, where_r, where_f = (f"{file}: {code}" for file in KEYWORD_FILES)
        inputs = self.content.inputs
        return LanguageKeywords(
            status="tested" if statuses and all(s == "tested" for s in statuses) else "draft",
            kinds=self._table(f"{where_q}.kinds", q.get("kinds"), QUESTION_KINDS),
            finder=self._keywords(f"{where_q}.finder", q.get("finder")),
            uncovered=self._keywords(f"{where_q}.uncovered", q.get("uncovered")),
            routes=self._table(f"{where_r}.routes", r.get("routes"), self.route_ids),
            countries=self._table(f"route_keywords.yml: countries.{code}", countries, COUNTRIES),
            yes=self._whole(f"{where_f}.yes_answers", f.get("yes_answers")),
            no=self._whole(f"{where_f}.no_answers", f.get("no_answers")),
            skip=self._whole(f"{where_f}.skip_answers", f.get("skip_answers")),
            location=self._table(f"{where_f}.location", f.get("location"), tuple(inputs["location"].options)),
            nationality=self._table(
                f"{where_f}.nationality", f.get("nationality"), tuple(inputs["nationality"].options)
            ),
        )

    def _languages(self, file: str, doc: Mapping[str, Any]) -> dict[str, Any]:
        langs = self._mapping(f"{file}: languages", doc.get("languages"))
        for code in langs:
            self._language_code(f"{file}: languages", code)
        return langs

    def _language_code(self, where: str, code: Any) -> None:
        if code not in SUPPORTED:
            self.problems.append(f"{where}: {code!r} is not a supported language ({', '.join(SUPPORTED)})")

    def _mapping(self, where: str, value: Any) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.append(f"{where}: must be a mapping")
            return {}
        return value

    def _status(self, where: str, section: Mapping[str, Any]) -> str:
        status = section.get("status")
        if status not in LANGUAGE_STATUSES:
            self.problems.append(f"{where}: status must be one of {', '.join(LANGUAGE_STATUSES)}")
            return "draft"
        return str(status)

    def _keywords(self, where: str, items: Any) -> tuple[Keyword, ...]:
        if items is None:
            return ()
        if not isinstance(items, list):
            self.problems.append(f"{where}: must be a list of keywords")
            return ()
        found = []
        for item in items:
            parts = item if isinstance(item, list) else [item]
            phrases = tuple(tuple(_WORD.findall(fold(p))) if isinstance(p, str) else () for p in parts)
            if not parts or not all(phrases):
                self.problems.append(f"{where}: {item!r} is not a keyword (a text, or a list of texts)")
                continue
            found.append(Keyword(phrases))
        return tuple(found)

    def _table(self, where: str, value: Any, allowed: Sequence[str]) -> dict[str, tuple[Keyword, ...]]:
        table = {}
        for name, items in self._mapping(where, value).items():
            if name not in allowed:
                self.problems.append(f"{where}: {name!r} is not one of {', '.join(allowed)}")
                continue
            table[name] = self._keywords(f"{where}.{name}", items)
        return table

    def _whole(self, where: str, items: Any) -> frozenset[str]:
        return frozenset(" ".join(w.rstrip("*") for w in k.phrases[0]) for k in self._keywords(where, items))

    def _english_is_complete(self, english: LanguageKeywords | None) -> None:
        if english is None or english.status != "tested":
            self.problems.append("English tables are missing or not marked tested")
            return
        missing = [route_id for route_id in self.route_ids if route_id not in english.routes]
        if missing:
            self.problems.append(f"route_keywords.yml: en.routes has no keywords for {', '.join(missing)}")
        missing = [kind for kind in QUESTION_KINDS if kind not in english.kinds]
        if missing:
            self.problems.append(f"question_keywords.yml: en.kinds has no keywords for {', '.join(missing)}")

    def _route(self, where: str, route_id: Any) -> bool:
        if route_id not in self.route_ids:
            self.problems.append(f"route_keywords.yml: {where}: {route_id!r} is not a route id")
            return False
        return True

    def _intent(self, where: str, intent: Any) -> bool:
        if intent not in ROUTE_INTENTS:
            self.problems.append(
                f"route_keywords.yml: {where}: {intent!r} is not one of {', '.join(ROUTE_INTENTS)}"
            )
            return False
        return True

    def _route_countries(self, value: Any) -> dict[str, tuple[str, ...]]:
        found = {}
        for route_id, countries in self._mapping("route_keywords.yml: route_countries", value).items():
            if self._route("route_countries", route_id):
                if not isinstance(countries, list) or not set(countries) <= set(COUNTRIES):
                    self.problems.append(f"route_keywords.yml: route_countries.{route_id}: use {COUNTRIES}")
                    continue
                found[route_id] = tuple(countries)
        return found

    def _defaults(self, value: Any) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for intent, by_country in self._mapping("route_keywords.yml: defaults", value).items():
            if self._intent("defaults", intent):
                found[intent] = {}
                for country, route_id in self._mapping(f"defaults.{intent}", by_country).items():
                    if country not in COUNTRIES:
                        self.problems.append(
                            f"route_keywords.yml: defaults.{intent}: unknown country {country!r}"
                        )
                    elif self._route(f"defaults.{intent}", route_id):
                        found[intent][country] = route_id
        return found

    def _intent_routes(self, section: str, value: Any) -> dict[str, tuple[str, ...]]:
        found = {}
        for intent, ids in self._mapping(f"route_keywords.yml: {section}", value).items():
            if self._intent(section, intent):
                if not isinstance(ids, list):
                    self.problems.append(f"route_keywords.yml: {section}.{intent}: must be a list")
                    continue
                found[intent] = tuple(i for i in ids if self._route(f"{section}.{intent}", i))
        return found


# ---- understanding a message ----------------------------------------------------------


@dataclass(frozen=True)
class Understanding:
    """What a message asks, as far as the keyword tables tell."""

    route_id: str | None = None
    kind: str | None = None
    country: str | None = None
    finder: bool = False
    uncovered: bool = False


def _merged(tables: Iterable[Mapping[str, tuple[Keyword, ...]]]) -> dict[str, list[Keyword]]:
    merged: dict[str, list[Keyword]] = {}
    for table in tables:
        for name, keywords in table.items():
            merged.setdefault(name, []).extend(keywords)
    return merged


def route_concerns(route_id: str, content: RoutesContent, tables: KeywordTables) -> tuple[str, ...]:
    """The countries a route is about."""
    if route_id in tables.route_countries:
        return tables.route_countries[route_id]
    country = content.entry(route_id).country
    return COUNTRIES if country == "any" else (country,)


def understand(
    text: str, lang: str | None, content: RoutesContent | None = None, tables: KeywordTables | None = None
) -> Understanding:
    """Read the route, the kind of question, the country and the requests in a message."""
    content = content or routes_content()
    tables = tables or keyword_tables()
    message = Prepared.of(text)
    if not message.variants:
        return Understanding()
    langs = tables.for_language(lang)
    mentioned = [
        country
        for country, keywords in _merged(t.countries for t in langs).items()
        if any_match(keywords, message)
    ]
    country = mentioned[0] if len(mentioned) == 1 else None
    candidates = {
        route_id: keywords
        for route_id, keywords in _merged(t.routes for t in langs).items()
        if country is None or country in route_concerns(route_id, content, tables)
    }
    route_id, used = best_match(candidates, message)
    kind, _ = best_match(_merged(t.kinds for t in langs), message, excluded=used)
    return Understanding(
        route_id=route_id,
        kind=kind,
        country=country,
        finder=any(any_match(t.finder, message) for t in langs),
        uncovered=any(any_match(t.uncovered, message) for t in langs),
    )


# ---- answers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteReply:
    """What a routes action sends, and what it remembers."""

    payload: dict[str, Any] | None  # None when the finder starts: its first question speaks
    route_id: str | None  # the route discussed now (the route_last slot)
    start_finder: bool = False


def reply_to(
    intent: str,
    text: str,
    lang: str | None,
    last_route: str | None = None,
    entities: Mapping[str, Any] | None = None,
    content: RoutesContent | None = None,
    tables: KeywordTables | None = None,
) -> RouteReply:
    """Answer a message about routes, asylum or legal aid (or a follow-up question).

    `intent` is what Rasa understood (safe_routes, claim_asylum, legal_aid, or nlu_fallback /
    out_of_scope right after a routes answer), `last_route` the route discussed last, and
    `entities` those of a button payload (route_id, question_kind, finder_answer).
    """
    content = content or routes_content()
    tables = tables or keyword_tables()
    entities = entities or {}
    if intent in FINDER_START_INTENTS and entities.get("finder_answer") == "start":
        return RouteReply(None, None, start_finder=True)
    seen = understand(text, lang, content, tables)
    if seen.finder and seen.route_id is None and intent in FINDER_START_INTENTS:
        return RouteReply(None, None, start_finder=True)
    chosen = entities.get("route_id")
    route_id = chosen if chosen in {e.id for e in content.entries} else seen.route_id
    asked = entities.get("question_kind")
    kind = asked if asked in QUESTION_KINDS else seen.kind
    if seen.uncovered and asked is None:
        return RouteReply(honest_payload(intent), last_route)
    if route_id is None and kind is not None and last_route in {e.id for e in content.entries}:
        allowed = tables.follow_up.get(intent)
        if allowed is None or last_route in allowed:
            route_id = last_route
    if route_id is None and seen.country is not None:
        route_id = tables.defaults.get(intent, {}).get(seen.country)
    if route_id is not None:
        entry = content.entry(route_id)
        if kind is None:
            return RouteReply(route_card_payload(entry, intent), route_id)
        return RouteReply(kind_answer_payload(entry, kind, intent), route_id)
    if intent == "nlu_fallback" and kind is None:
        return RouteReply(honest_payload(intent), last_route)
    if intent == "out_of_scope" and kind is None:
        return RouteReply(out_of_scope_payload(), last_route)
    return RouteReply(overview_payload(intent, kind, content, tables), None)


def handover_buttons(intent: str) -> list[str]:
    """Buttons to free legal help: "Help near me" finds legal help after legal_aid and
    claim_asylum (see actions/find_help.py); otherwise the legal-aid answer, which offers it."""
    if intent == "legal_aid":
        return ["find_help"]
    if intent == "claim_asylum":
        return ["find_help", "legal_aid"]
    return ["legal_aid"]


def checked_part(entry: RouteEntry) -> dict[str, Any]:
    """"Source: <official pages> (checked on <date>)"."""
    return {
        "msg": "content_checked",
        "args": {"source": {"list": list(entry.sources)}, "date": {"date": entry.checked.isoformat()}},
    }


def status_parts(entry: RouteEntry, card: bool) -> list[dict[str, Any]]:
    """Whether the route is open, closed, paused, by referral only or uncertain, and why."""
    if entry.status in STATUS_SHOWN:
        parts: list[dict[str, Any]] = [{"msg": f"route_status_{entry.status}"}]
        return parts + ([{"t": entry.status_note}] if entry.status_note else [])
    if card and entry.status_note:
        return [{"t": entry.status_note}]
    if card and entry.status == "open":
        return [{"msg": "route_status_open"}]
    return []


def route_card_payload(entry: RouteEntry, intent: str) -> dict[str, Any]:
    """A route's overview: status, who it is for, who qualifies, cost, source and date."""
    parts = [
        {"msg": "route_heading", "args": {"name": {"t": entry.name}}},
        *status_parts(entry, card=True),
        {"msg": "route_for_whom", "args": {"text": {"t": entry.for_whom}}},
        {"msg": "route_eligibility", "args": {"text": {"t": entry.eligibility}}},
        {"msg": "route_cost", "args": {"text": {"t": entry.cost}}},
        checked_part(entry),
        {"msg": "route_not_legal_advice"},
    ]
    buttons = [f"ask:{entry.id}:{kind}" for kind in CARD_KINDS]
    return {"parts": parts, "buttons": _unique([*buttons, *handover_buttons(intent), "menu"])}


def kind_answer_payload(entry: RouteEntry, kind: str, intent: str) -> dict[str, Any]:
    """One kind of question about one route, from its `questions:`; honest when it has none."""
    text = entry.answers.get(kind)
    heading = {"msg": "route_kind_heading",
               "args": {"name": {"t": entry.name}, "topic": {"msg": f"btn_kind_{kind}"}}}
    if text is None:
        return {
            "parts": [heading, {"msg": "route_no_reliable_info"}, {"msg": "route_legal_handover"}],
            "buttons": _unique([f"route:{entry.id}", *handover_buttons(intent), "menu"]),
        }
    parts: list[dict[str, Any]] = [heading, *status_parts(entry, card=False), {"t": text}]
    if kind == "risks" and entry.watch_out:
        lines = [{"msg": "route_bullet", "args": {"text": {"t": item}}} for item in entry.watch_out]
        parts.append({"lines": [{"msg": "route_watch_out"}, *lines]})
    parts.append(checked_part(entry))
    others = [f"ask:{entry.id}:{other}" for other in QUESTION_KINDS if other != kind]
    return {"parts": parts, "buttons": _unique([*others, *handover_buttons(intent), "menu"])}


def honest_payload(intent: str) -> dict[str, Any]:
    """No reliable information: say so, and hand over to free legal advice."""
    return {
        "parts": [{"msg": "route_no_reliable_info"}, {"msg": "route_legal_handover"}],
        "buttons": _unique([*handover_buttons(intent), "menu"]),
    }


def out_of_scope_payload() -> dict[str, Any]:
    """The same answer as the domain's utter_out_of_scope."""
    return {"msg": "out_of_scope", "buttons": list(MENU)}


def overview_payload(
    intent: str, kind: str | None, content: RoutesContent, tables: KeywordTables
) -> dict[str, Any]:
    """No route named: the topic's overview (or the general answer to the kind of question)
    with routes to choose from."""
    suffix = f":{kind}" if kind else ""
    if intent == "legal_aid":  # a kind of question alone says nothing about the country
        choices = [f"route:{route_id}" for route_id in tables.overview.get(intent, ())]
        return {"msg": "legal_aid_overview", "buttons": _unique(["find_help", *choices, "menu"])}
    if intent == "claim_asylum":
        choices = [f"route:{route_id}{suffix}" for route_id in tables.overview.get(intent, ())]
        return {"parts": [{"msg": "claim_asylum_overview"}, {"msg": "route_which_country"}],
                "buttons": _unique([*choices, *handover_buttons(intent), "menu"])}
    choices = [f"route:{route_id}{suffix}" for route_id in tables.overview.get("safe_routes", ())]
    first = {"t": routes.find_topic(kind, None, content).text} if kind else {"msg": "safe_routes_overview"}
    return {"parts": [first, {"msg": "routes_choose"}],
            "buttons": _unique(["finder", *choices, "legal_aid", "menu"])}


def _unique(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))


# ---- the guided finder ------------------------------------------------------------------


@dataclass(frozen=True)
class FinderStep:
    """What a message means for the finder question being asked.

    `outcome` is "answer" (`value` is the answer), "done" (show the routes now: the
    questions not yet answered count as skipped), "again" (ask the same question again,
    after the `hint` message if there is one), or "not_an_answer" (something else: Rasa's
    rules answer it, then the question is asked again).
    """

    outcome: str
    value: str | None = None
    hint: str | None = None


def finder_values(question: str, content: RoutesContent | None = None) -> tuple[str, ...]:
    """The answers a finder question accepts (besides `skipped`)."""
    if question in YES_NO_INPUTS:
        return (YES, NO)
    return tuple((content or routes_content()).inputs[question].options)


def finder_step(
    question: str,
    text: str,
    intent: str | None,
    entities: Mapping[str, Any] | None,
    lang: str | None,
    content: RoutesContent | None = None,
    tables: KeywordTables | None = None,
) -> FinderStep:
    """Read the answer to `question` from a button or a typed message."""
    content = content or routes_content()
    tables = tables or keyword_tables()
    button = (entities or {}).get("finder_answer")
    if button is not None:
        return _button_step(question, str(button), content)
    message = Prepared.of(text)
    if text.lstrip().startswith("/"):
        return FinderStep("not_an_answer")  # another button (menu, legal help...)
    hint = "finder_hint_yes_no" if question in YES_NO_INPUTS else "finder_hint_choose"
    if not message.variants:
        return FinderStep("again", hint=hint)
    langs = tables.for_language(lang)
    whole = message.whole
    if any(whole in t.skip for t in langs):
        return FinderStep("answer", SKIPPED)
    if question in YES_NO_INPUTS:
        for t in langs:
            if whole in t.yes:
                return FinderStep("answer", YES)
            if whole in t.no:
                return FinderStep("answer", NO)
    elif intent != "emergency" or len(message.variants) <= SHORT_ANSWER_WORDS:
        # The model reads many short answers ("I am Syrian", "no") as emergencies; a longer
        # message it calls an emergency is never taken as an answer.
        value = _choice_from_text(question, message, langs, content)
        if value is not None:
            return FinderStep("answer", value)
    if intent in ("nlu_fallback", "out_of_scope"):
        return FinderStep("again", hint=hint)
    if intent == "safe_routes":
        seen = understand(text, lang, content, tables)
        if seen.finder and seen.route_id is None:
            return FinderStep("again")
        if seen.route_id is None and seen.kind is None and not seen.uncovered:
            return FinderStep("again", hint=hint)
    return FinderStep("not_an_answer")


def _button_step(question: str, value: str, content: RoutesContent) -> FinderStep:
    if value == "skip":
        return FinderStep("answer", SKIPPED)
    if value == "done":
        return FinderStep("done")
    asked, _, answer = value.partition(":")
    if asked == question and answer in finder_values(question, content):
        return FinderStep("answer", answer)
    return FinderStep("again")  # a button of another question, or the finder's own button


def _choice_from_text(
    question: str, message: Prepared, langs: Sequence[LanguageKeywords], content: RoutesContent
) -> str | None:
    spec = content.inputs[question]
    table: dict[str, list[Keyword]] = {value: [] for value in spec.options}
    for value in spec.options:
        table[value].append(Keyword((tuple(words(value)),)))
    for alias, value in spec.aliases.items():
        phrase = tuple(words(alias))
        if phrase:
            table[value].append(Keyword((phrase,)))
    for t in langs:
        for value, keywords in (t.location if question == "location" else t.nationality).items():
            table[value].extend(keywords)
    value, _ = best_match(table, message)
    return value


def finder_done(answers: Mapping[str, str | None]) -> dict[str, str]:
    """"Show routes now": every question not answered yet counts as skipped."""
    return {name: answers.get(name) or SKIPPED for name in FINDER_INPUTS}


def answers_latest_message(events: Sequence[Mapping[str, Any]], form: str = FINDER_FORM) -> bool:
    """Tell whether the form runs right after the user's message (so it may read an answer
    from it), not when it comes back to its question after another answer (an emergency)."""
    skipped_own_run = False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "action_execution_rejected":
            return False
        if kind == "action":
            if event.get("name") == form and not skipped_own_run:
                skipped_own_run = True  # the form's own run, added for its validation
                continue
            return False
    return False


def finder_question_payload(question: str, content: RoutesContent | None = None) -> dict[str, Any]:
    """Ask one finder question, with a button per answer, to skip, and to see routes now."""
    content = content or routes_content()
    number = FINDER_INPUTS.index(question) + 1
    parts: list[dict[str, Any]] = [{"msg": "finder_intro"}] if number == 1 else []
    parts.append({
        "msg": "finder_question",
        "args": {"number": number, "total": len(FINDER_INPUTS),
                 "question": {"t": content.inputs[question].prompt}},
    })
    answers = [f"finder:{question}:{value}" for value in finder_values(question, content)]
    return {"parts": parts, "buttons": [*answers, "finder:skip", "finder:done"]}


def finder_profile(answers: Mapping[str, str | None]) -> dict[str, Any]:
    """The finder answers (as kept in the slots) as arguments of routes_for_profile."""

    def choice(value: str | None) -> str | None:
        return None if value in (None, SKIPPED) else value

    def yes_no(value: str | None) -> bool | None:
        return True if value == YES else False if value == NO else None

    return {
        "location": choice(answers.get("location")),
        "nationality": choice(answers.get("nationality")),
        "family_in_uk": yes_no(answers.get("family_in_uk")),
        "under_18_alone": yes_no(answers.get("under_18_alone")),
    }


def finder_routes(
    answers: Mapping[str, str | None], content: RoutesContent | None = None
) -> list[tuple[str, list[str]]]:
    """The routes the finder suggests for these answers, best first, with their reasons."""
    return routes.routes_for_profile(**finder_profile(answers), content=content or routes_content())


def finder_result_payload(
    answers: Mapping[str, str | None], content: RoutesContent | None = None
) -> dict[str, Any]:
    """The finder's answer: the best routes with the reasons, information not legal advice,
    and free legal advice nearby."""
    content = content or routes_content()
    ranked = finder_routes(answers, content)
    shown = ranked[:MAX_FINDER_ROUTES]
    parts: list[dict[str, Any]] = [{"msg": "finder_result_intro" if shown else "finder_result_none"}]
    nationality = finder_profile(answers)["nationality"]
    if nationality is not None and not any(
        nationality in rule.when.get("nationality", ()) for rule in content.rules
    ):
        parts.append({"msg": "finder_no_nationality_scheme"})
    for number, (route_id, reasons) in enumerate(shown, start=1):
        entry = content.entry(route_id)
        lines: list[dict[str, Any]] = [
            {"msg": "finder_result_route", "args": {"number": number, "name": {"t": entry.name}}}
        ]
        if entry.status in STATUS_SHOWN:
            lines.append({"msg": f"route_status_{entry.status}"})
        lines += [{"msg": "route_bullet", "args": {"text": {"t": content.reasons[r]}}} for r in reasons]
        parts.append({"lines": lines})
    if len(ranked) > len(shown):
        parts.append({"msg": "finder_result_more"})
    parts.append({"msg": "route_not_legal_advice"})
    buttons = [f"route:{route_id}" for route_id, _ in shown]
    if len(ranked) > len(shown):
        buttons.append("routes")
    return {"parts": parts, "buttons": _unique([*buttons, "legal_aid", "menu"])}
