"""The job-offer checker: find the red flags of an offer, with the exact words behind each, and rate it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.offer_lang import detect_language
from bot.offer_links import (
    Address,
    brand_mentions,
    find_addresses,
    official_brand_addresses,
    official_contact,
)
from bot.offer_negation import is_negated
from bot.offer_numbers import PayComparison, compare_pay, find_age_ranges, find_money
from bot.offer_phrases import Hit, Tag, find_patterns
from bot.offer_results import Evidence, Flag, OfferResult
from bot.offer_rules import SEVERITIES, LanguageRules, OfferRules, SignalRule
from bot.offer_text import Sentences, fold

_MAX_EVIDENCE = 6
_MAX_HITS = 40  # hits kept per signal or cue: enough to quote, and bounded on hostile input
_SIBLINGS = {"uk": ("ru",), "ru": ("uk",)}


@dataclass
class _Found:
    """Hits gathered for one offer, grouped by what they stand for."""

    signals: dict[str, list[Hit]]
    cues: dict[str, list[Hit]]
    destinations: list[Hit]


def languages_for(lang: str, rules: OfferRules) -> list[LanguageRules]:
    """Return the phrase sets searched for an offer in ``lang``: its own, English and the shared words."""
    codes = [lang, *_SIBLINGS.get(lang, ()), "en"]
    chosen = [rules.languages[c] for c in dict.fromkeys(codes) if c in rules.languages]
    return [rules.universal, *chosen]


def language_of(text: str, folded: str, rules: OfferRules) -> str:
    """Detect the language of an offer among the languages the rules cover."""
    return detect_language(text, folded, rules.stopwords)


def _gather(
    folded: str, sentences: Sentences, languages: Iterable[LanguageRules], rules: OfferRules
) -> _Found:
    """Find every phrase and pattern, dropping the negated ones."""
    found = _Found({}, {}, [])
    seen: set[tuple[int, int, Tag]] = set()
    for lang in languages:
        for hit in [*lang.offer.find(folded), *find_patterns(lang.patterns, folded)]:
            key = (hit.start, hit.end, hit.tag)
            if key in seen:
                continue
            seen.add(key)
            tag = hit.tag
            if tag.kind == "signal":
                signal = rules.signals.get(tag.key)
                kept = found.signals.setdefault(tag.key, [])
                if signal is None or len(kept) >= _MAX_HITS:
                    continue
                if not is_negated(folded, sentences, hit.start, hit.end, lang, signal.negated_by):
                    kept.append(hit)
            elif tag.kind == "cue":
                kept = found.cues.setdefault(tag.key, [])
                if len(kept) >= _MAX_HITS:
                    continue
                negatable = tag.key in rules.negatable_cues
                if not negatable or not is_negated(
                    folded, sentences, hit.start, hit.end, lang, ("negation",)
                ):
                    kept.append(hit)
            elif tag.kind == "dest" and len(found.destinations) < _MAX_HITS:
                found.destinations.append(hit)
    return found


def _destination(hits: list[Hit]) -> str:
    """Return the destination named most often (the first named, on a tie)."""
    if not hits:
        return ""
    counts = Counter(hit.tag.key for hit in hits)
    first = {hit.tag.key: hit.start for hit in sorted(hits, key=lambda h: h.start, reverse=True)}
    return min(counts, key=lambda key: (-counts[key], first[key]))


def _combo_hits(
    combo_cues: tuple[str, ...], within: str, cues: Mapping[str, list[Hit]], sentences: Sentences
) -> list[Hit]:
    """Return one hit per cue when all cues are found (in one sentence if asked), else nothing."""
    if not all(cues.get(cue) for cue in combo_cues):
        return []
    if within != "sentence":
        return [min(cues[cue], key=lambda h: h.start) for cue in combo_cues]
    for anchor in sorted(cues[combo_cues[0]], key=lambda h: h.start):
        low, high = sentences.start(anchor.start), sentences.end(anchor.end)
        chosen = [anchor]
        for cue in combo_cues[1:]:
            inside = [h for h in cues[cue] if low <= h.start and h.end <= high]
            if not inside:
                break
            chosen.append(min(inside, key=lambda h: abs(h.start - anchor.start)))
        else:
            return chosen
    return []


def _span(start: int, end: int, key: str, group: str = "") -> Hit:
    """Make a hit for a span found by code (amounts, ages, addresses)."""
    return Hit(start, end, Tag("signal", key, group))


def _pay(folded: str, sentences: Sentences, found: _Found, rules: OfferRules) -> PayComparison | None:
    """Return the pay that is far above the minimum wage of the destination (signal J1), if any."""
    low_skill = bool(found.signals.get("J2") or found.cues.get("low_skill"))
    money = find_money(folded, rules.money)
    destination = _destination(found.destinations)
    comparison = compare_pay(money, destination, rules.money, found.cues.get("pay", []), sentences)
    threshold = rules.money.low_skill_ratio if low_skill else rules.money.any_job_ratio
    return comparison if comparison is not None and comparison.ratio >= threshold else None


def _pay_detail(template: str, comparison: PayComparison) -> str:
    """Fill the J1 detail sentence: how many times the minimum wage, where, and the source."""
    wage = comparison.wage
    figure = f"{wage.amount:g} {wage.currency} per {wage.period}, {wage.what}, {wage.source}"
    return template.format(ratio=f"{comparison.ratio:.1f}", country=wage.name, wage=figure)


def _derived(
    folded: str, found: _Found, rules: OfferRules, pay: PayComparison | None
) -> dict[str, list[Hit]]:
    """Raise the signals found by code: pay (J1), ages (S1, S3), addresses (U1-U3, C2, J4), contact (C1)."""
    extra: dict[str, list[Hit]] = {}
    cues = found.cues
    if pay is not None:
        item = pay.money
        extra["J1"] = [_span(item.start, item.end, "J1", "pay")]
        if item.period_start >= 0:
            extra["J1"].append(_span(item.period_start, item.period_end, "J1", "pay"))
    for ages in find_age_ranges(folded, rules.money, cues.get("age", [])):
        if ages.low < 18:
            extra.setdefault("S3", []).append(_span(ages.start, ages.end, "S3", "age"))
        if ages.high <= 35:
            extra.setdefault("S1", []).append(_span(ages.start, ages.end, "S1", "age"))
    addresses = find_addresses(folded, rules.links)
    for address in addresses:
        for flag in address.flags:
            extra.setdefault(flag, []).append(_span(address.start, address.end, flag))
    _impersonation(folded, addresses, cues, rules, extra)
    apps = cues.get("app", [])
    if apps and not cues.get("other_contact") and not official_contact(addresses, rules.links):
        extra.setdefault("C1", []).extend(_span(h.start, h.end, "C1") for h in apps[:2])
    return extra


def _impersonation(
    folded: str,
    addresses: list[Address],
    cues: Mapping[str, list[Hit]],
    rules: OfferRules,
    extra: dict[str, list[Hit]],
) -> None:
    """Raise J4 when a known brand is named but the contact is free e-mail, an app or an imitating address."""
    official = official_brand_addresses(addresses, rules.links)
    mentions = [h for h in brand_mentions(folded, rules.links, addresses) if h.tag.key not in official]
    unofficial = [a for a in addresses if a.flags and ("C2" in a.flags or "U3" in a.flags)]
    spans: list[Hit] = []
    for address in unofficial:
        if address.brand or mentions:
            spans.append(_span(address.start, address.end, "J4"))
    if mentions and not spans and cues.get("app") and not official_contact(addresses, rules.links):
        spans.append(_span(cues["app"][0].start, cues["app"][0].end, "J4"))
    if spans:
        extra["J4"] = [_span(mentions[0].start, mentions[0].end, "J4"), *spans] if mentions else spans


def _evidence(text: str, hits: Iterable[Hit]) -> list[Evidence]:
    """Turn hits into evidence quoted from the original text, without repeats or nested spans."""
    spans = sorted({(h.start, h.end) for h in hits if h.end > h.start}, key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if any(a <= start and end <= b for a, b in kept):
            continue
        kept.append((start, end))
    return [Evidence(start, end, text[start:end]) for start, end in kept[:_MAX_EVIDENCE]]


def _holds(
    condition: str, raised: Mapping[str, list[Hit]], cues: Mapping[str, list[Hit]]
) -> list[Hit] | None:
    """Return the words showing that an escalation condition holds (possibly none), or None if it does not."""
    if condition.startswith("@"):
        hits = cues.get(condition[1:])
        return [min(hits, key=lambda h: h.start)] if hits else None
    if "." in condition:
        key, _, group = condition.partition(".")
        return [] if any(h.tag.group == group for h in raised.get(key, [])) else None
    return [] if raised.get(condition) else None


def _escalate(
    signal: SignalRule, raised: Mapping[str, list[Hit]], cues: Mapping[str, list[Hit]]
) -> tuple[str, list[Hit]]:
    """Return the severity of a raised signal after escalation, and the cue words that escalated it."""
    severity = signal.severity
    added: list[Hit] = []
    for rule in signal.escalations:
        for condition in rule.any:
            shown: list[Hit] = []
            for part in condition.split("+"):
                words = _holds(part, raised, cues)
                if words is None:
                    break
                shown.extend(words)
            else:
                if SEVERITIES.index(rule.to) > SEVERITIES.index(severity):
                    severity = rule.to
                added.extend(shown)
                break
    return severity, added


def check_offer(text: str, rules: OfferRules) -> OfferResult:
    """Check a job offer: its risk (high / medium / low), and each red flag with the words that raised it."""
    folded = fold(text)
    lang = language_of(text, folded, rules)
    sentences = Sentences(text)
    found = _gather(folded, sentences, languages_for(lang, rules), rules)
    raised: dict[str, list[Hit]] = {key: list(hits) for key, hits in found.signals.items()}
    for signal in rules.signals.values():
        for combo in signal.combos:
            raised.setdefault(signal.id, []).extend(
                _combo_hits(combo.cues, combo.within, found.cues, sentences)
            )
    pay = _pay(folded, sentences, found, rules)
    derived = _derived(folded, found, rules, pay)
    for key, hits in derived.items():
        raised.setdefault(key, []).extend(hits)
    raised = {key: hits for key, hits in raised.items() if hits and key in rules.signals}
    flags: list[Flag] = []
    for key, hits in raised.items():
        signal = rules.signals[key]
        severity, added = _escalate(signal, raised, found.cues)
        evidence = _evidence(text, [*hits, *added])
        if not evidence:
            continue
        detail = _pay_detail(signal.detail, pay) if key == "J1" and pay and signal.detail else ""
        flags.append(Flag(key, severity, evidence, signal.explanation, signal.advice, signal.title, detail))
    flags.sort(key=lambda f: (-SEVERITIES.index(f.severity), f.evidence[0].start))
    return OfferResult(_risk(flags, rules), flags, lang)


def _risk(flags: list[Flag], rules: OfferRules) -> str:
    """Rate an offer from its flags."""
    if any(flag.severity == "critical" for flag in flags):
        return "high"
    points = sum(rules.risk.points.get(flag.severity, 0) for flag in flags)
    if points >= rules.risk.high_at:
        return "high"
    if points >= rules.risk.medium_at:
        return "medium"
    return "low"
