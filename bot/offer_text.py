"""Length-preserving text folding and the scope rules (sentences, clauses, negation) of the offer checker.

Folding maps every character to exactly one character (lower case, accents and Arabic-script letter variants
unified, Persian and Arabic-Indic digits to ASCII, invisible marks to spaces), so an offset in the folded text
is the same offset in the original: evidence is always quoted from the original text.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

# Letters whose folding is not given by Unicode decomposition.
_SPECIAL = {
    "đ": "d",
    "Đ": "d",
    "ı": "i",
    "ł": "l",
    "Ł": "l",
    "ø": "o",
    "Ø": "o",
    # Arabic script: unify letter variants that people type interchangeably.
    "ة": "ه",
    "ۀ": "ه",
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ک": "ك",
    "ګ": "گ",
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    "ئ": "ي",
    "ё": "е",
    "Ё": "е",
    # Typography.
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    "ʻ": "'",
    "–": "-",
    "—": "-",
    "‑": "-",
    "‒": "-",
    "−": "-",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "„": '"',
}
# Zero-width and direction marks, soft hyphen, unusual spaces: folded to a plain space.
_BLANKS = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff\u00a0\u2007\u202f\u2009\u200a\u3000\u0640"
)
_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"


def _fold_char(char: str) -> str:
    """Return the one-character folded form of ``char`` (``char`` itself when nothing applies)."""
    if char in _SPECIAL:
        return _SPECIAL[char]
    compat = unicodedata.normalize("NFKC", char)
    if len(compat) != 1:
        compat = char
    lower = compat.lower()
    if len(lower) != 1:
        lower = compat
    if lower in _SPECIAL:
        return _SPECIAL[lower]
    decomposed = unicodedata.normalize("NFD", lower)
    base = decomposed[0]
    if len(decomposed) > 1 and all(unicodedata.category(c) == "Mn" for c in decomposed[1:]):
        return _SPECIAL.get(base, base)
    return lower


@functools.lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """Build (once) the translation table used by :func:`fold`."""
    table: dict[int, str] = {}
    for code in range(0x2FFF + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = _fold_char(char)
        if folded != char:
            table[code] = folded
    for code in range(0xFB00, 0xFFFF + 1):
        char = chr(code)
        folded = _fold_char(char)
        if folded != char:
            table[code] = folded
    for blank in _BLANKS:
        table[ord(blank)] = " "
    for index, digit in enumerate(_DIGITS):
        table[ord(digit)] = str(index % 10)
    return table


def fold(text: str) -> str:
    """Fold ``text`` for matching; the result always has the same length as ``text``."""
    return text.translate(fold_table())


def fold_phrase(text: str) -> str:
    """Fold a rule phrase and collapse its spaces."""
    return " ".join(fold(text).split())


# A sentence ends at final punctuation and at a bar or bullet. A line break ends one too when the next line
# starts a new item (blank line, bullet, number, emoji, capital letter); a line break followed by a
# lower-case word (or by a script without capitals) is taken as a wrapped line.
_SENTENCE_BREAK = re.compile(r"[.!?;؟؛。…]+(?=\s|$)|[|•።፧]")
_NEXT_LINE = re.compile(r"\n[ \t]*(.)?", re.DOTALL)


def _starts_item(char: str | None) -> bool:
    """Tell whether a line starting with ``char`` starts a new item rather than continuing a sentence."""
    if char is None or char == "\n":
        return True
    if char.isalpha():
        return char.isupper()
    return True


class Sentences:
    """Where the sentences of a text start and end (computed once per text)."""

    def __init__(self, text: str) -> None:
        breaks = [(m.start(), m.end()) for m in _SENTENCE_BREAK.finditer(text)]
        if "\n" in text:
            breaks.extend(
                (m.start(), m.start() + 1) for m in _NEXT_LINE.finditer(text) if _starts_item(m.group(1))
            )
            breaks.sort()
        self._ends = [start for start, _ in breaks]
        self._starts = [end for _, end in breaks]
        self._length = len(text)

    def start(self, pos: int) -> int:
        """Return where the sentence holding ``pos`` starts."""
        index = bisect.bisect_right(self._starts, pos)
        return self._starts[index - 1] if index else 0

    def end(self, pos: int) -> int:
        """Return where the sentence holding ``pos`` ends."""
        index = bisect.bisect_left(self._ends, pos)
        return self._ends[index] if index < len(self._ends) else self._length
