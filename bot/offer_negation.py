"""Decide whether a phrase found in an offer is negated ("no fees", "we pay your visa", "phí: không")."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.offer_rules import LanguageRules
from bot.offer_text import Sentences

_WORD = re.compile(r"\w+")
_SEGMENT_BREAK = re.compile(r"[,،(፣]")
_HARD_BREAK = re.compile(r"[:፤]")
_CLAUSE_END = re.compile(r"[,:،;.!?\n()፣፤።]")
_LIST_ITEM_WORDS = 2
_MAX_SCOPE = 240  # characters looked at before a phrase: a negation further back is not about it


def _tail_start(folded: str, start: int, end: int, words: int) -> int:
    """Return where the last ``words`` words of ``folded[start:end]`` begin."""
    found = [m.start() for m in _WORD.finditer(folded, start, end)]
    return found[-words] if len(found) >= words else start


def _negates(folded: str, start: int, end: int, rules: LanguageRules) -> bool:
    """Tell whether ``folded[start:end]`` holds a negation that is not closed before ``end``."""
    for hit in rules.negation.find(folded, start, end):
        if rules.negation_closers.search(folded, hit.end, end) is None:
            return True
    return False


def _negated_before(
    folded: str, start: int, window_start: int, rules: LanguageRules, reach: int, lists: bool
) -> bool:
    """Look for a negation governing the phrase at ``start``.

    The negation must be among the last ``reach`` words before the phrase, in its own comma-separated
    segment. With ``lists``, it may also stand at the end of an earlier segment when only short list
    items lie between ("no registration, processing or training fees").
    """
    for colon in _HARD_BREAK.finditer(folded, window_start, start):
        window_start = colon.end()
    breaks = [m.end() for m in _SEGMENT_BREAK.finditer(folded, window_start, start)]
    bounds = [window_start, *breaks, start]
    segment_start, segment_end = bounds[-2], bounds[-1]
    if _negates(folded, _tail_start(folded, segment_start, segment_end, reach), segment_end, rules):
        return True
    if not lists:
        return False
    head_reach = max(3, reach - 2)
    for index in range(len(bounds) - 2, 0, -1):
        seg_start, seg_end = bounds[index - 1], bounds[index] - 1
        count = len(_WORD.findall(folded, seg_start, seg_end))
        if count <= _LIST_ITEM_WORDS:
            if _negates(folded, seg_start, seg_end, rules):
                return True
            continue
        return _negates(folded, _tail_start(folded, seg_start, seg_end, head_reach), seg_end, rules)
    return False


def is_negated(
    folded: str,
    sentences: Sentences,
    start: int,
    end: int,
    rules: LanguageRules,
    kinds: Collection[str],
    narrative: bool = False,
) -> bool:
    """Tell whether the phrase at ``folded[start:end]`` is cancelled by the words around it.

    ``narrative`` is for a person's own account (the situation detector): a negation must then stand
    within three words before the phrase, and never reaches across commas.
    """
    if not kinds:
        return False
    window_start = max(sentences.start(start), start - _MAX_SCOPE)
    for hit in rules.blockers.find(folded, window_start, start):
        if hit.end <= start:
            window_start = max(window_start, hit.end)
    if "employer_pays" in kinds and rules.employer_pays.search(folded, window_start, start):
        return True
    if "negation" not in kinds:
        return False
    reach = min(3, rules.negation_reach) if narrative else rules.negation_reach
    if _negated_before(folded, start, window_start, rules, reach, lists=not narrative):
        return True
    stop = sentences.end(end)
    clause = _CLAUSE_END.search(folded, end, stop)
    clause_end = clause.start() if clause else stop
    return rules.negation_after.search(folded, end, min(clause_end, end + 80)) is not None
