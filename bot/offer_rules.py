"""Load the job-offer checker's rules (data/offer_rules/*.yml) into compiled, immutable form."""

from __future__ import annotations

import pathlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.offer_lang import stopword_index
from bot.offer_phrases import (
    PatternRule,
    PhraseMatcher,
    Tag,
    WordRules,
    age_regex,
    currency_before_regex,
    money_regex,
)
from bot.offer_text import fold_phrase

SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class Combo:
    """Raise a signal when all ``cues`` are found, within one sentence or anywhere in the text."""

    cues: tuple[str, ...]
    within: str = "text"


@dataclass(frozen=True)
class Escalation:
    """Raise a signal's severity to ``to`` when any condition holds (``S1.photo``, ``J1``, ``@abroad``)."""

    to: str
    any: tuple[str, ...]


@dataclass(frozen=True)
class SignalRule:
    """A red flag: its id, severity, sources, English texts and how it is raised."""

    id: str
    title: str
    severity: str
    sources: tuple[str, ...]
    explanation: str
    advice: str
    detail: str = ""
    negated_by: tuple[str, ...] = ("negation",)
    combos: tuple[Combo, ...] = ()
    escalations: tuple[Escalation, ...] = ()


@dataclass(frozen=True)
class IndicatorRule:
    """An ILO forced-labour indicator for the "I'm already there" detector."""

    id: str
    ilo: int
    title: str
    urgent: bool
    explanation: str
    advice: str


@dataclass(frozen=True)
class LanguageRules:
    """Everything compiled for one language (``any`` holds the language-independent words)."""

    code: str
    name: str
    reviewed: bool
    offer: PhraseMatcher
    situation: PhraseMatcher
    patterns: tuple[PatternRule, ...]
    situation_patterns: tuple[PatternRule, ...]
    negation: PhraseMatcher
    negation_after: PhraseMatcher
    negation_closers: PhraseMatcher
    employer_pays: PhraseMatcher
    blockers: PhraseMatcher
    stopwords: frozenset[str]
    negation_reach: int = 5


@dataclass(frozen=True)
class Wage:
    """A minimum wage: ``amount`` in ``currency`` per ``period``, with where it comes from."""

    country: str
    name: str
    currency: str
    amount: float
    period: str
    hours_per_week: float
    what: str
    source: str
    since: str


@dataclass(frozen=True)
class MoneyRules:
    """Currencies, multipliers, range words and pay periods, plus the wage table and exchange rates."""

    currency_words: Mapping[str, str]
    multipliers: Mapping[str, tuple[float, str]]
    range_words: tuple[str, ...]
    periods: PhraseMatcher
    wages: Mapping[str, Wage]
    reference: str
    currency_countries: Mapping[str, str]
    fx_usd: Mapping[str, float]
    any_job_ratio: float
    low_skill_ratio: float
    checked: str
    amount_regex: re.Pattern[str]
    currency_before: re.Pattern[str]
    age_regex: re.Pattern[str]


@dataclass(frozen=True)
class LinkRules:
    """Lists used to judge web and e-mail addresses by their text alone."""

    shorteners: frozenset[str]
    free_hosting: tuple[str, ...]
    free_email: frozenset[str]
    tlds: frozenset[str]
    second_levels: frozenset[str]
    brands: Mapping[str, frozenset[str]]
    brand_names: PhraseMatcher


@dataclass(frozen=True)
class RiskRules:
    """Points per severity and the totals at which an offer is rated high or medium."""

    points: Mapping[str, int]
    high_at: int
    medium_at: int


@dataclass(frozen=True)
class OfferRules:
    """All rules of the job-offer checker, loaded by :func:`load_offer_rules`."""

    signals: Mapping[str, SignalRule]
    indicators: Mapping[str, IndicatorRule]
    languages: Mapping[str, LanguageRules]
    universal: LanguageRules
    money: MoneyRules
    links: LinkRules
    risk: RiskRules
    negatable_cues: frozenset[str]
    stopwords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    path: pathlib.Path = field(default=pathlib.Path("."))


def default_rules_path() -> pathlib.Path:
    """Return data/offer_rules/ of the repository holding this module."""
    return pathlib.Path(__file__).resolve().parent.parent / "data" / "offer_rules"


def _read_yaml(path: pathlib.Path) -> dict[str, Any]:
    """Read one YAML mapping with ``yaml.safe_load``."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def _entries(values: Any) -> Iterator[str]:
    """Yield the phrases of a list whose items are strings or {phrase: ...} mappings."""
    for value in values or ():
        if isinstance(value, dict):
            value = value["phrase"]
        if isinstance(value, bool) or value is None:
            raise ValueError(f"phrase {value!r} read as a YAML boolean or null: quote it")
        yield str(value)


def _tagged(section: Mapping[str, Any] | None, kind: str) -> Iterator[tuple[str, Tag]]:
    """Yield (phrase, tag) for a mapping of key (or ``key.group``) to phrase lists."""
    for key, values in (section or {}).items():
        name, _, group = str(key).partition(".")
        for phrase in _entries(values):
            yield phrase, Tag(kind, name, group)


def _pattern_rules(section: Mapping[str, Any] | None) -> tuple[list[PatternRule], list[PatternRule]]:
    """Compile the ``patterns`` of a language file into offer and situation rules."""
    offer: list[PatternRule] = []
    situation: list[PatternRule] = []
    for key, values in (section or {}).items():
        kind, _, name = str(key).rpartition(":")
        name, _, group = name.partition(".")
        for value in _entries(values):
            if kind == "situation":
                situation.append(PatternRule(re.compile(value), Tag("situation", name, group)))
            else:
                offer.append(PatternRule(re.compile(value), Tag(kind or "signal", name, group)))
    return offer, situation


def _language(data: Mapping[str, Any]) -> LanguageRules:
    """Compile one phrases/<lang>.yml file."""
    words_data = data.get("words") or {}
    words = WordRules(
        prefixes=tuple(words_data.get("prefixes") or ()),
        suffixes=tuple(words_data.get("suffixes") or ()),
        loose_end=bool(words_data.get("loose_end", False)),
    )
    offer_phrases = [
        *_tagged(data.get("signals"), "signal"),
        *_tagged(data.get("cues"), "cue"),
        *_tagged(data.get("destinations"), "dest"),
    ]
    patterns, situation_patterns = _pattern_rules(data.get("patterns"))

    strict = WordRules(prefixes=words.prefixes, suffixes=words.suffixes, loose_end=False)

    def simple(key: str) -> PhraseMatcher:
        """Compile a list of function words; their endings never vary (use ``*`` for a stem)."""
        return PhraseMatcher(((p, Tag(key, key)) for p in _entries(data.get(key))), strict)

    return LanguageRules(
        code=str(data["lang"]),
        name=str(data.get("name", data["lang"])),
        reviewed=bool(data.get("reviewed", False)),
        offer=PhraseMatcher(offer_phrases, words),
        situation=PhraseMatcher(_tagged(data.get("situation"), "situation"), words),
        patterns=tuple(patterns),
        situation_patterns=tuple(situation_patterns),
        negation=simple("negation"),
        negation_after=simple("negation_after"),
        negation_closers=simple("negation_closers"),
        employer_pays=simple("employer_pays"),
        blockers=simple("blockers"),
        stopwords=frozenset(fold_phrase(w) for w in _entries(data.get("stopwords"))),
        negation_reach=int(words_data.get("negation_reach", 5)),
    )


def _signal(data: Mapping[str, Any]) -> SignalRule:
    """Build one signal rule from signals.yml."""
    severity = str(data["severity"])
    if severity not in SEVERITIES:
        raise ValueError(f"signal {data.get('id')}: unknown severity {severity!r}")
    for key in ("explanation", "advice", "title"):
        if not str(data.get(key) or "").strip():
            raise ValueError(f"signal {data.get('id')}: missing {key}")
    return SignalRule(
        id=str(data["id"]),
        title=str(data["title"]).strip(),
        severity=severity,
        sources=tuple(str(s) for s in data.get("sources") or ()),
        explanation=" ".join(str(data["explanation"]).split()),
        advice=" ".join(str(data["advice"]).split()),
        detail=" ".join(str(data.get("detail") or "").split()),
        negated_by=tuple(data.get("negated_by", ("negation",)) or ()),
        combos=tuple(Combo(tuple(c["all"]), str(c.get("within", "text"))) for c in data.get("combos") or ()),
        escalations=tuple(
            Escalation(str(e["to"]), tuple(str(a) for a in e["any"])) for e in data.get("escalate") or ()
        ),
    )


def _money(path: pathlib.Path) -> MoneyRules:
    """Load money.yml and wages.yml."""
    money = _read_yaml(path / "money.yml")
    wages = _read_yaml(path / "wages.yml")
    currency_words: dict[str, str] = {}
    for code, words in (money.get("currencies") or {}).items():
        for word in _entries(words):
            currency_words[fold_phrase(word)] = str(code)
    multipliers: dict[str, tuple[float, str]] = {}
    for item in money.get("multipliers") or ():
        for word in _entries(item["words"]):
            multipliers[fold_phrase(word)] = (float(item["factor"]), str(item.get("currency") or ""))
    periods = PhraseMatcher(
        (
            (phrase, Tag("period", str(period)))
            for period, phrases in (money.get("periods") or {}).items()
            for phrase in _entries(phrases)
        ),
        WordRules(),
    )
    table = {
        str(code): Wage(
            country=str(code),
            name=str(entry["name"]),
            currency=str(entry["currency"]),
            amount=float(entry["amount"]),
            period=str(entry["period"]),
            hours_per_week=float(entry.get("hours_per_week", 40)),
            what=str(entry.get("what", "")),
            source=str(entry["source"]),
            since=str(entry.get("from", "")),
        )
        for code, entry in (wages.get("countries") or {}).items()
    }
    thresholds = wages.get("thresholds") or {}
    range_words = tuple(fold_phrase(w) for w in _entries(money.get("range_words")))
    return MoneyRules(
        currency_words=currency_words,
        multipliers=multipliers,
        range_words=range_words,
        periods=periods,
        wages=table,
        reference=str(wages.get("reference", "US")),
        currency_countries={str(k): str(v) for k, v in (wages.get("currency_countries") or {}).items()},
        fx_usd={str(k): float(v) for k, v in (wages.get("fx_usd") or {}).items()},
        any_job_ratio=float(thresholds.get("any_job", 5.0)),
        low_skill_ratio=float(thresholds.get("low_skill", 2.5)),
        checked=str(wages.get("checked", "")),
        amount_regex=money_regex(list(currency_words), list(multipliers), list(range_words)),
        currency_before=currency_before_regex(list(currency_words)),
        age_regex=age_regex(list(range_words)),
    )


def _links(path: pathlib.Path) -> LinkRules:
    """Load links.yml."""
    data = _read_yaml(path / "links.yml")
    brands = {
        fold_phrase(str(name)): frozenset(str(d).lower() for d in domains)
        for name, domains in (data.get("brands") or {}).items()
    }
    return LinkRules(
        shorteners=frozenset(str(d).lower() for d in data.get("shorteners") or ()),
        free_hosting=tuple(str(d).lower() for d in data.get("free_hosting") or ()),
        free_email=frozenset(str(d).lower() for d in data.get("free_email") or ()),
        tlds=frozenset(str(d).lower() for d in data.get("tlds") or ()),
        second_levels=frozenset(str(d).lower() for d in data.get("second_levels") or ()),
        brands=brands,
        brand_names=PhraseMatcher(
            ((name, Tag("brand", name)) for name in brands), WordRules(suffixes=("s", "'s"))
        ),
    )


def load_offer_rules(path: pathlib.Path | None = None) -> OfferRules:
    """Load and compile the rules in ``path`` (default: data/offer_rules/ of this repository)."""
    root = path or default_rules_path()
    signals_data = _read_yaml(root / "signals.yml")
    situation_data = _read_yaml(root / "situation.yml")
    signals = {rule.id: rule for rule in map(_signal, signals_data.get("signals") or ())}
    indicators = {
        str(item["id"]): IndicatorRule(
            id=str(item["id"]),
            ilo=int(item["ilo"]),
            title=str(item["title"]),
            urgent=bool(item["urgent"]),
            explanation=" ".join(str(item["explanation"]).split()),
            advice=" ".join(str(item["advice"]).split()),
        )
        for item in situation_data.get("indicators") or ()
    }
    languages: dict[str, LanguageRules] = {}
    universal: LanguageRules | None = None
    for file in sorted((root / "phrases").glob("*.yml")):
        try:
            rules = _language(_read_yaml(file))
        except (KeyError, ValueError, re.error) as error:
            raise ValueError(f"{file}: {error}") from error
        if rules.code == "any":
            universal = rules
        else:
            languages[rules.code] = rules
    if universal is None or "en" not in languages:
        raise ValueError(f"{root}/phrases: any.yml and en.yml are required")
    risk = signals_data.get("risk") or {}
    return OfferRules(
        signals=signals,
        indicators=indicators,
        languages=languages,
        universal=universal,
        money=_money(root),
        links=_links(root),
        risk=RiskRules(
            points={str(k): int(v) for k, v in (risk.get("points") or {}).items()},
            high_at=int(risk.get("high_at", 8)),
            medium_at=int(risk.get("medium_at", 4)),
        ),
        negatable_cues=frozenset(signals_data.get("negatable_cues") or ()),
        stopwords=stopword_index({code: lang.stopwords for code, lang in languages.items()}),
        path=root,
    )
