"""Job-offer red-flag checker: public API and command-line entry points.

``check_offer`` rates an offer ``high`` / ``medium`` / ``low`` and lists its red flags, each quoting the exact
words that raised it; ``check_situation`` finds ILO forced-labour indicators in a person's description of
their own situation. Rules are data (data/offer_rules/), loaded by ``load_offer_rules``.
"""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any

from bot.offer_report import (
    BENCH_LENGTH,
    bench,
    bench_offers,
    default_corpus_path,
    evaluate,
    format_report,
    load_corpus,
)
from bot.offer_results import Evidence, Flag, Indicator, OfferResult, SituationResult
from bot.offer_rules import OfferRules, load_offer_rules
from bot.offer_signals import check_offer
from bot.offer_situation import check_situation

__all__ = [
    "Evidence",
    "Flag",
    "Indicator",
    "OfferResult",
    "OfferRules",
    "SituationResult",
    "check_offer",
    "check_situation",
    "load_offer_rules",
    "main_check_offer",
    "main_offer_bench",
    "main_offer_report",
    "offer_json",
]

_USAGE = "usage: check-offer [FILE ...]   (reads one offer from standard input when no file is given)"


def offer_json(result: OfferResult) -> dict[str, Any]:
    """Return the JSON form of a result printed by ``check-offer``."""
    return {
        "risk": result.risk,
        "flags": [
            {
                "id": flag.id,
                "severity": flag.severity,
                "evidence": [item.text for item in flag.evidence],
                "explanation": flag.explanation,
                "advice": flag.advice,
            }
            for flag in result.flags
        ],
        "lang": result.lang,
    }


def _print(line: str) -> None:
    """Print one line as UTF-8 whatever the terminal's locale."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write((line + "\n").encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(line + "\n")


def _read_inputs(argv: list[str]) -> tuple[list[str], list[str]]:
    """Read the offers named in ``argv`` (standard input for none or ``-``); return texts and errors."""
    texts: list[str] = []
    errors: list[str] = []
    for name in argv or ["-"]:
        try:
            data = sys.stdin.buffer.read() if name == "-" else pathlib.Path(name).read_bytes()
            texts.append(data.decode("utf-8-sig"))
        except OSError as error:
            errors.append(f"check-offer: cannot read {name}: {error.strerror or error}")
        except UnicodeDecodeError as error:
            where = "standard input" if name == "-" else name
            errors.append(f"check-offer: {where} is not UTF-8 text (byte {error.start})")
    return texts, errors


def main_check_offer(argv: list[str]) -> int:
    """Check the offer on standard input, or each file named, and print one JSON object per offer."""
    if any(arg in ("-h", "--help") for arg in argv):
        _print(_USAGE)
        return 0
    texts, errors = _read_inputs(argv)
    if errors:
        for error in errors:
            print(error, file=sys.stderr)
        return 2
    rules = load_offer_rules()
    for text in texts:
        _print(json.dumps(offer_json(check_offer(text, rules)), ensure_ascii=False))
    return 0


def main_offer_report(argv: list[str]) -> int:
    """Print the per-language evaluation on the labelled corpus; exit 1 when a target is missed."""
    path = pathlib.Path(argv[0]) if argv else default_corpus_path()
    scores = evaluate(load_corpus(path), load_offer_rules(), check_offer)
    _print(format_report(scores))
    return 0 if all(score.meets_targets() for score in scores) else 1


def main_offer_bench(argv: list[str]) -> int:
    """Print p50/p95/p99 latency of checking 2,000-character offers built from the corpus texts."""
    runs = int(argv[0]) if argv else 2000
    rules = load_offer_rules()
    texts = bench_offers(load_corpus())
    timing = bench(texts, rules, check_offer, runs)
    _print(
        f"check_offer on {BENCH_LENGTH}-character offers, {runs} runs: "
        f"p50 {timing['p50']:.2f} ms, p95 {timing['p95']:.2f} ms, p99 {timing['p99']:.2f} ms "
        f"(target p95 <= 5 ms)"
    )
    return 0
