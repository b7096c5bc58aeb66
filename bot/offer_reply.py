"""The chat's answer to a job offer, and to a person describing exploitation they are in.

Every flag shown quotes the words of the offer that raised it (no flag without
evidence); titles, explanations and advice are English data texts from
data/offer_rules/, translated through the catalogs, so the answer is in the user's
language whatever the offer's language.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.buttons import MENU
from bot.helplines import cached_helplines, emergency_payload, helpline_lines
from bot.offer_check import OfferResult, OfferRules, SituationResult, check_offer, check_situation
from bot.offer_check import load_offer_rules as _load_rules

MAX_QUOTES = 3
MAX_QUOTE_CHARS = 90
# The lines people call about a job offer (not the police or ambulance numbers).
OFFER_HELPLINES = ("gb_modern_slavery", "fr_119", "fr_3919")


@lru_cache(maxsize=1)
def offer_rules() -> OfferRules:
    """The checker's rules, loaded on first use."""
    return _load_rules()


def quote(text: str) -> str:
    """One piece of evidence, shortened for a phone screen."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1] + "…"


def offer_payload(result: OfferResult) -> dict[str, Any]:
    """Risk level, each flag with its quoted words, explanation and advice, then helplines."""
    parts: list[dict[str, Any]] = [{"msg": f"offer_risk_{result.risk}"}]
    for flag in result.flags:
        quotes = [
            {"msg": "offer_quote", "args": {"words": quote(e.text)}} for e in flag.evidence[:MAX_QUOTES]
        ]
        parts.append(
            {
                "lines": [
                    {"msg": "offer_flag_title", "args": {"title": {"t": flag.title or flag.id}}},
                    *quotes,
                    {"t": flag.explanation},
                    {"msg": "offer_flag_advice", "args": {"advice": {"t": flag.advice}}},
                ]
            }
        )
    lines = [line for line in cached_helplines() if line.id in OFFER_HELPLINES]
    parts.append({"msg": "offer_helplines"})
    parts.append({"lines": helpline_lines(tuple(lines))})
    return {"parts": parts, "buttons": ["emergency", "find_help", "menu"]}


def situation_payload(result: SituationResult) -> dict[str, Any]:
    """Someone describing exploitation they are in: emergency numbers first, then what it is."""
    payload = emergency_payload(cached_helplines())
    signs = [
        {"msg": "offer_quote", "args": {"words": quote(e.text)}}
        for indicator in result.indicators
        for e in indicator.evidence[:1]
    ][:MAX_QUOTES]
    payload["parts"] = [
        {"msg": "situation_intro"},
        *payload["parts"],
        {"lines": [{"msg": "situation_signs"}, *signs]},
    ]
    payload["buttons"] = ["find_help", *MENU[:-2]]
    return payload


def analyse_offer(text: str, lang: str = "en") -> tuple[OfferResult, SituationResult]:
    """Check a job offer, and whether the text describes a situation the person is in."""
    rules = offer_rules()
    return check_offer(text, rules), check_situation(text, rules, (lang,))


def urgent_situation(text: str, lang: str = "en") -> SituationResult | None:
    """The ILO indicators in any message, when they call for emergency contacts at once."""
    result = check_situation(text, offer_rules(), (lang,))
    return result if result.urgent else None
