"""Amounts of money, pay periods and age ranges in offers; pay compared with minimum wages (signal J1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.offer_phrases import Hit
from bot.offer_rules import MoneyRules, Wage
from bot.offer_text import Sentences

_DAYS_PER_MONTH = 21.67
_WEEKS_PER_MONTH = 4.33


@dataclass(frozen=True)
class Money:
    """An amount found in the text: the highest end of a range, in ``currency``, per ``period`` if stated."""

    start: int
    end: int
    amount: float
    currency: str
    period: str
    period_start: int = -1
    period_end: int = -1


@dataclass(frozen=True)
class AgeRange:
    """An age range such as "18-25" next to a word about age."""

    start: int
    end: int
    low: int
    high: int


def _number(text: str) -> float:
    """Read a number written with thousands separators or a decimal comma."""
    groups = re.split(r"[ ,.']", text)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    if len(groups) > 1 and len(groups[-1]) == 3 and all(len(g) == 3 for g in groups[1:-1]):
        return float("".join(groups))
    if len(groups) > 1:
        return float("".join(groups[:-1]) + "." + groups[-1])
    return float(text)


def _multiplier(rules: MoneyRules, word: str | None) -> tuple[float, str]:
    """Return the factor and implied currency of a multiplier word."""
    if not word:
        return 1.0, ""
    return rules.multipliers.get(" ".join(word.split()), (1.0, ""))


_NUMBER_START = re.compile(r"(?<![\d.,])\d")
_CURRENCY_HINT = re.compile(r"[^\W\d_]|[$€£₫₽₴¥₩₹฿]")
_CURRENCY_REACH = 12
_MAX_AMOUNTS = 100


def _amounts(folded: str, rules: MoneyRules) -> list[tuple[re.Match[str], re.Match[str] | None]]:
    """Match amounts (at most 100) from the first digit of each number, with any currency just before."""
    found: list[tuple[re.Match[str], re.Match[str] | None]] = []
    pos = 0
    while len(found) < _MAX_AMOUNTS:
        digit = _NUMBER_START.search(folded, pos)
        if digit is None:
            return found
        match = rules.amount_regex.match(folded, digit.start())
        if match is None:
            pos = digit.end()
            continue
        reach = max(pos, digit.start() - _CURRENCY_REACH)
        before = None
        if _CURRENCY_HINT.search(folded, reach, digit.start()):
            before = rules.currency_before.search(folded, reach, digit.start())
        found.append((match, before))
        pos = match.end()
    return found


def find_money(folded: str, rules: MoneyRules) -> list[Money]:
    """Return the amounts of money in the folded text, each with its pay period when one is stated."""
    found: list[Money] = []
    for match, before in _amounts(folded, rules):
        names = [before.group("c1")] if before else []
        names += [match.group(k) for k in ("c2", "c3", "c4") if match.group(k)]
        factor1, implied1 = _multiplier(rules, match.group("m1"))
        factor2, implied2 = _multiplier(rules, match.group("m2"))
        currency = ""
        for name in names:
            currency = rules.currency_words.get(" ".join(name.split()), "")
            if not currency:
                for word, code in rules.currency_words.items():
                    if word.endswith("*") and name.startswith(word[:-1]):
                        currency = code
                        break
            if currency:
                break
        currency = currency or implied2 or implied1
        if not currency:
            continue
        amount = _number(match.group("n1")) * factor1
        if match.group("n2"):
            second = _number(match.group("n2")) * factor2
            if match.group("m2") and not match.group("m1") and amount < second / 100:
                amount *= factor2
            amount = max(amount, second)
        start = before.start() if before else match.start()
        period, p_start, p_end = _period(folded, start, match.end(), rules)
        found.append(Money(start, match.end(), amount, currency, period, p_start, p_end))
    return found


def _period(folded: str, start: int, end: int, rules: MoneyRules) -> tuple[str, int, int]:
    """Find the pay period just after an amount (or, failing that, just before it)."""
    after = rules.periods.find(folded, end, min(len(folded), end + 32))
    if after:
        hit = min(after, key=lambda h: h.start)
        between = folded[end : hit.start]
        if not re.search(r"[.;!?\n]|\d", between):
            return hit.tag.key, hit.start, hit.end
    before = rules.periods.find(folded, max(0, start - 24), start)
    if before:
        hit = max(before, key=lambda h: h.end)
        if not re.search(r"[.;!?\n]|\d", folded[hit.end : start]):
            return hit.tag.key, hit.start, hit.end
    return "", -1, -1


def monthly(amount: float, period: str, hours_per_week: float = 40.0) -> float:
    """Convert an amount per ``period`` to an amount per month."""
    if period == "hour":
        return amount * hours_per_week * _WEEKS_PER_MONTH
    if period == "day":
        return amount * _DAYS_PER_MONTH
    if period == "week":
        return amount * _WEEKS_PER_MONTH
    if period == "year":
        return amount / 12
    return amount


@dataclass(frozen=True)
class PayComparison:
    """An amount compared with the minimum wage of the destination (or of the reference country)."""

    money: Money
    wage: Wage
    ratio: float


def compare_pay(
    money: list[Money], destination: str, rules: MoneyRules, pay_hits: list[Hit], sentences: Sentences
) -> PayComparison | None:
    """Return the amount of pay that is highest relative to the minimum wage, if any can be compared."""
    best: PayComparison | None = None
    pay_starts = sorted(hit.start for hit in pay_hits)
    for item in money:
        if not item.period:
            begin = sentences.start(item.start)
            if not any(begin <= s < item.start for s in pay_starts):
                continue
        country = (
            destination if destination in rules.wages else rules.currency_countries.get(item.currency, "")
        )
        wage = rules.wages.get(country) or rules.wages.get(rules.reference)
        if wage is None:
            continue
        offer_rate = rules.fx_usd.get(item.currency)
        wage_rate = rules.fx_usd.get(wage.currency)
        if not offer_rate or not wage_rate:
            continue
        offered = monthly(item.amount, item.period or "month", wage.hours_per_week) * offer_rate
        minimum = monthly(wage.amount, wage.period, wage.hours_per_week) * wage_rate
        if minimum <= 0:
            continue
        ratio = offered / minimum
        if best is None or ratio > best.ratio:
            best = PayComparison(item, wage, ratio)
    return best


def find_age_ranges(folded: str, rules: MoneyRules, age_hits: list[Hit]) -> list[AgeRange]:
    """Return age ranges with a word about age within a few words before or after them."""
    ranges: list[AgeRange] = []
    for match in rules.age_regex.finditer(folded):
        low, high = int(match.group("a")), int(match.group("b"))
        if not (14 <= low < high <= 65):
            continue
        near = any(
            (0 <= match.start() - hit.end <= 24) or (0 <= hit.start - match.end() <= 12) for hit in age_hits
        )
        if near:
            ranges.append(AgeRange(match.start(), match.end(), low, high))
    return ranges
