"""Evaluate the job-offer checker on the labelled corpus, and measure how fast it is."""

from __future__ import annotations

import pathlib
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.offer_results import OfferResult
from bot.offer_rules import OfferRules

RECALL_TARGET = 0.95
FALSE_HIGH_TARGET = 0.05
BENCH_LENGTH = 2000


@dataclass(frozen=True)
class CorpusOffer:
    """One labelled offer of the evaluation corpus."""

    id: str
    lang: str
    label: str
    text: str
    critical: tuple[str, ...] = ()


@dataclass
class LanguageScore:
    """Counts for one language (or the total)."""

    lang: str
    scams: int = 0
    scams_high: int = 0
    legit: int = 0
    legit_high: int = 0
    critical_expected: int = 0
    critical_found: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of offers."""
        return self.scams + self.legit

    @property
    def recall(self) -> float:
        """Share of scam offers rated high (1.0 when there are none)."""
        return self.scams_high / self.scams if self.scams else 1.0

    @property
    def false_high(self) -> float:
        """Share of legitimate offers rated high (0.0 when there are none)."""
        return self.legit_high / self.legit if self.legit else 0.0

    def meets_targets(self) -> bool:
        """Tell whether recall and false-high rate meet the targets."""
        return self.recall >= RECALL_TARGET and self.false_high <= FALSE_HIGH_TARGET


def default_corpus_path() -> pathlib.Path:
    """Return tests/offers/corpus.yml of the repository holding this module."""
    return pathlib.Path(__file__).resolve().parent.parent / "tests" / "offers" / "corpus.yml"


def load_corpus(path: pathlib.Path | None = None) -> list[CorpusOffer]:
    """Read the labelled corpus."""
    with (path or default_corpus_path()).open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    offers = []
    for item in data["offers"]:
        label = str(item["label"])
        if label not in ("scam", "legit"):
            raise ValueError(f"{item.get('id')}: label must be scam or legit, not {label!r}")
        offers.append(
            CorpusOffer(
                id=str(item["id"]),
                lang=str(item["lang"]),
                label=label,
                text=str(item["text"]),
                critical=tuple(str(c) for c in item.get("critical") or ()),
            )
        )
    return offers


def evaluate(
    offers: Sequence[CorpusOffer], rules: OfferRules, check: Callable[[str, OfferRules], OfferResult]
) -> list[LanguageScore]:
    """Score the checker per language, with the total last."""
    scores: dict[str, LanguageScore] = {}
    total = LanguageScore("total")
    for offer in offers:
        result = check(offer.text, rules)
        high = result.risk == "high"
        critical = {flag.id for flag in result.flags if flag.severity == "critical"}
        for score in (scores.setdefault(offer.lang, LanguageScore(offer.lang)), total):
            if offer.label == "scam":
                score.scams += 1
                score.scams_high += high
                score.critical_expected += len(offer.critical)
                score.critical_found += len(set(offer.critical) & critical)
                if not high:
                    score.misses.append(f"{offer.id} (scam rated {result.risk})")
            else:
                score.legit += 1
                score.legit_high += high
                if high:
                    score.misses.append(f"{offer.id} (legit rated high: {', '.join(result.flag_ids())})")
    ordered = sorted(scores.values(), key=lambda s: (-s.n, s.lang))
    return [*ordered, total]


def format_report(scores: Sequence[LanguageScore]) -> str:
    """Return the evaluation table as text."""
    lines = [
        f"targets: recall on scams (rated high) >= {RECALL_TARGET:.2f}; "
        f"false-high on legitimate offers <= {FALSE_HIGH_TARGET:.0%}, per language",
        f"{'lang':<6}{'n':>5}{'scam':>6}{'legit':>7}{'recall':>16}{'false-high':>16}"
        f"{'critical found':>18}  ok",
    ]
    for score in scores:
        lines.append(
            f"{score.lang:<6}{score.n:>5}{score.scams:>6}{score.legit:>7}"
            f"{f'{score.recall:.2f} ({score.scams_high}/{score.scams})':>16}"
            f"{f'{score.false_high:.2f} ({score.legit_high}/{score.legit})':>16}"
            f"{f'{score.critical_found}/{score.critical_expected}':>18}  "
            f"{'yes' if score.meets_targets() else 'NO'}"
        )
    misses = [miss for score in scores if score.lang != "total" for miss in score.misses]
    if misses:
        lines.append("misses: " + "; ".join(misses))
    return "\n".join(lines)


def bench_offers(offers: Sequence[CorpusOffer], count: int = 40, length: int = BENCH_LENGTH) -> list[str]:
    """Build ``count`` offers of exactly ``length`` characters by joining corpus texts."""
    texts = [offer.text for offer in offers]
    built: list[str] = []
    for start in range(count):
        parts: list[str] = []
        size = 0
        index = start * 7
        while size < length:
            part = texts[index % len(texts)]
            parts.append(part)
            size += len(part) + 2
            index += 1
        built.append("\n\n".join(parts)[:length])
    return built


def bench(
    texts: Sequence[str], rules: OfferRules, check: Callable[[str, OfferRules], OfferResult], runs: int = 2000
) -> dict[str, float]:
    """Time ``runs`` checks cycling through ``texts``; return p50, p95 and p99 latency in milliseconds."""
    for text in texts[:5]:
        check(text, rules)
    timings: list[float] = []
    for run in range(runs):
        text = texts[run % len(texts)]
        began = time.perf_counter()
        check(text, rules)
        timings.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "runs": float(runs)}
