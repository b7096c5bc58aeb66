"""Guess the language of an offer from its script, a few telltale letters and stopwords.

Small and replaceable: it only has to choose among the checker's languages (en, ar, fa, ps, ti, ckb, fr,
uk, ru, vi, sq, so).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ETHIOPIC = re.compile(r"[\u1200-\u139f\u2d80-\u2ddf]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")
_SORANI = re.compile(r"[ڕڵۆێەڤ]")
_PASHTO = re.compile(r"[ټډړږښګڼېۍځڅ]")
_PERSIAN = re.compile(r"[پچژگکی]")
_ARABIC_ONLY = re.compile(r"[ةىيك]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN = re.compile(r"[ыэъёЫЭЪЁ]")
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_ALBANIAN = re.compile(r"[ëç]", re.IGNORECASE)
_WORD = re.compile(r"\w+")

_LATIN_LANGS = ("en", "fr", "vi", "sq", "so")
_ARABIC_LANGS = ("ar", "fa", "ps", "ckb")


def stopword_index(stopwords: Mapping[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """Map each stopword to the languages that list it."""
    index: dict[str, list[str]] = {}
    for lang, words in stopwords.items():
        for word in words:
            index.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in index.items()}


def _stopword_hits(
    words: list[str], index: Mapping[str, tuple[str, ...]], langs: tuple[str, ...]
) -> dict[str, int]:
    """Count, per language of ``langs``, the words that are among its stopwords."""
    hits = dict.fromkeys(langs, 0)
    for word in words:
        for lang in index.get(word, ()):
            if lang in hits:
                hits[lang] += 1
    return hits


_SAMPLE = 1200


def detect_language(text: str, folded: str, stopwords: Mapping[str, tuple[str, ...]]) -> str:
    """Return the most likely language code of ``text`` (``folded`` is its folded form).

    ``stopwords`` maps a folded stopword to the languages listing it (see :func:`stopword_index`).

    Only the first 1,200 characters are looked at: enough to tell the language, and fast on long texts.
    """
    text = text[:_SAMPLE]
    folded = folded[:_SAMPLE]
    counts = {
        "arabic": len(_ARABIC.findall(text)),
        "ethiopic": len(_ETHIOPIC.findall(text)),
        "cyrillic": len(_CYRILLIC.findall(text)),
        "latin": len(_LATIN.findall(text)),
    }
    script = max(counts, key=lambda key: counts[key])
    if counts[script] == 0:
        return "en"
    words = _WORD.findall(folded)
    if script == "ethiopic":
        return "ti"
    if script == "cyrillic":
        hits = _stopword_hits(words, stopwords, ("uk", "ru"))
        uk = len(_UKRAINIAN.findall(text)) + 2 * hits["uk"]
        ru = len(_RUSSIAN.findall(text)) + 2 * hits["ru"]
        return "uk" if uk > ru else "ru"
    if script == "arabic":
        hits = _stopword_hits(words, stopwords, _ARABIC_LANGS)
        scores = {
            "ckb": 2 * len(_SORANI.findall(text)) + 3 * hits["ckb"],
            "ps": 2 * len(_PASHTO.findall(text)) + 3 * hits["ps"],
            "fa": len(_PERSIAN.findall(text)) + 3 * hits["fa"],
            "ar": len(_ARABIC_ONLY.findall(text)) + 3 * hits["ar"],
        }
        return max(_ARABIC_LANGS, key=lambda lang: scores[lang])
    vietnamese = len(_VIETNAMESE.findall(text))
    if vietnamese >= 3 and vietnamese * 12 >= counts["latin"] * 0.5:
        return "vi"
    hits = _stopword_hits(words, stopwords, _LATIN_LANGS)
    hits["sq"] += len(_ALBANIAN.findall(text)) // 2
    best = max(_LATIN_LANGS, key=lambda lang: hits[lang])
    return best if hits[best] > 0 else "en"
