"""The "I'm already there" detector: ILO forced-labour indicators in a person's own description."""

from __future__ import annotations

from bot.offer_negation import is_negated
from bot.offer_phrases import Hit, find_patterns
from bot.offer_results import Evidence, Indicator, SituationResult
from bot.offer_rules import OfferRules
from bot.offer_signals import language_of
from bot.offer_text import Sentences, fold

_MAX_EVIDENCE = 4


def check_situation(text: str, rules: OfferRules, hint_langs: tuple[str, ...] = ()) -> SituationResult:
    """Find ILO indicators in a person's account of their own situation; ``urgent``: call for help now.

    ``hint_langs``: languages to look in besides the guessed one and English (the language the
    person chose or writes in: a short message is hard to guess from its own words).
    """
    folded = fold(text)
    lang = language_of(text, folded, rules)
    sentences = Sentences(text)
    codes = list(dict.fromkeys([lang, *hint_langs, "en"]))
    found: dict[str, list[Hit]] = {}
    for code in codes:
        language = rules.languages.get(code)
        if language is None:
            continue
        for hit in [*language.situation.find(folded), *find_patterns(language.situation_patterns, folded)]:
            if hit.tag.key not in rules.indicators:
                continue
            if is_negated(folded, sentences, hit.start, hit.end, language, ("negation",), narrative=True):
                continue
            found.setdefault(hit.tag.key, []).append(hit)
    indicators: list[Indicator] = []
    for key, rule in rules.indicators.items():
        hits = found.get(key)
        if not hits:
            continue
        spans = sorted({(h.start, h.end) for h in hits})
        kept: list[tuple[int, int]] = []
        for start, end in spans:
            if not any(a <= start < b or start <= a < end for a, b in kept):
                kept.append((start, end))
        evidence = [Evidence(s, e, text[s:e]) for s, e in kept[:_MAX_EVIDENCE]]
        indicators.append(Indicator(key, rule.title, rule.urgent, evidence, rule.explanation, rule.advice))
    indicators.sort(key=lambda i: (not i.urgent, i.evidence[0].start))
    return SituationResult(indicators, any(i.urgent for i in indicators), lang)
