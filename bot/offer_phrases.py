"""Compile phrase lists into one fast regular expression per language (a character trie).

A phrase is folded text (see :mod:`bot.offer_text`); a space in a phrase matches any run of spaces or
hyphens, and ``*`` matches the rest of a word (``deposit*`` matches "deposits"). Every phrase ends in an
empty named group, so the match tells which phrase was found without trying phrases one by one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.offer_text import fold_phrase


@dataclass(frozen=True)
class Tag:
    """What a phrase stands for: ``kind`` (signal, cue, dest, situation, neg...), ``key`` and ``group``."""

    kind: str
    key: str
    group: str = ""


@dataclass(frozen=True)
class Hit:
    """A phrase found in the folded text at ``[start, end)``."""

    start: int
    end: int
    tag: Tag


@dataclass(frozen=True)
class WordRules:
    """How words are delimited in a language: clitic prefixes allowed, and whether endings may vary."""

    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    loose_end: bool = False


# A trie node: token -> child node; the end-of-phrase key "" maps to {"index": phrase number}.
_Node = dict[str, Any]

_SPACE = " "
_STEM = "*"
_END = ""


def _tokens(phrase: str) -> list[str]:
    """Split a folded phrase into trie tokens (characters, spaces, stem markers)."""
    tokens: list[str] = []
    for char in phrase:
        if char == _STEM and tokens and tokens[-1] == _STEM:
            continue
        tokens.append(char)
    return tokens


class PhraseMatcher:
    """Find every phrase of a list in folded text, each with the tags it was listed under."""

    def __init__(self, phrases: Iterable[tuple[str, Tag]], words: WordRules | None = None) -> None:
        words = words or WordRules()
        by_phrase: dict[str, list[Tag]] = {}
        for raw, tag in phrases:
            phrase = fold_phrase(raw)
            if phrase.strip(_STEM + " "):
                tags = by_phrase.setdefault(phrase, [])
                if tag not in tags:
                    tags.append(tag)
        self.phrases: tuple[str, ...] = tuple(by_phrase)
        self._tags: tuple[tuple[Tag, ...], ...] = tuple(tuple(tags) for tags in by_phrase.values())
        self.pattern: re.Pattern[str] | None = self._compile(words) if self.phrases else None

    def _compile(self, words: WordRules) -> re.Pattern[str]:
        """Build the trie regex."""
        trie: _Node = {}
        for index, phrase in enumerate(self.phrases):
            node = trie
            for token in _tokens(phrase):
                node = node.setdefault(token, {})
            node[_END] = {"index": index}
        prefix = ""
        if words.prefixes:
            ordered = sorted(words.prefixes, key=len, reverse=True)
            prefix = "(?:" + "|".join(re.escape(fold_phrase(p)) for p in ordered) + ")?"
        space = (r"\w*" if words.loose_end else "") + r"[\s\-]+" + prefix
        suffix = ""
        if words.suffixes:
            ordered_suffixes = sorted(words.suffixes, key=len, reverse=True)
            suffix = "(?:" + "|".join(re.escape(s) for s in ordered_suffixes) + ")?"
        end = r"\w*" if words.loose_end else suffix + r"(?!\w)"
        if not words.loose_end:
            space = suffix + space

        def emit(node: _Node) -> str:
            branches: list[str] = []
            for token, child in node.items():
                if token == _END:
                    continue
                if token == _SPACE:
                    head = space
                elif token == _STEM:
                    head = r"\w*"
                else:
                    head = re.escape(token)
                branches.append(head + emit(child))
            if _END in node:
                branches.append(f"(?P<p{node[_END]['index']}>){end}")
            return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

        start = r"(?:(?<!\w)|(?=\W))" + prefix
        return re.compile(start + emit(trie))

    def tags_of(self, match: re.Match[str]) -> tuple[Tag, ...]:
        """Return the tags of the phrase a match of :attr:`pattern` found."""
        name = match.lastgroup
        return self._tags[int(name[1:])] if name else ()

    def find(self, folded: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Return every phrase found in ``folded[start:end]``, overlapping ones included."""
        hits: list[Hit] = []
        if self.pattern is None:
            return hits
        stop = len(folded) if end is None else end
        search = self.pattern.search
        pos = start
        while pos < stop:
            match = search(folded, pos, stop)
            if match is None:
                break
            for tag in self.tags_of(match):
                hits.append(Hit(match.start(), match.end(), tag))
            pos = match.start() + 1
        return hits

    def search(self, folded: str, start: int, end: int) -> re.Match[str] | None:
        """Return the first phrase found in ``folded[start:end]``."""
        if self.pattern is None or start >= end:
            return None
        return self.pattern.search(folded, start, end)


@dataclass(frozen=True)
class PatternRule:
    """A regular expression on folded text standing for a tag (for what phrases cannot say)."""

    regex: re.Pattern[str]
    tag: Tag


def find_patterns(rules: Sequence[PatternRule], folded: str) -> list[Hit]:
    """Return the hits of every pattern rule."""
    return [Hit(m.start(), m.end(), rule.tag) for rule in rules for m in rule.regex.finditer(folded)]


_NUMBER = r"\d{1,3}(?:[ ,.'](?=\d{3}(?!\d))\d{3})+(?:[.,]\d{1,2}(?!\d))?|\d+(?:[.,]\d{1,2}(?!\d))?"


def alternation(words: list[str], left_bound: bool = True) -> str:
    """Return a regex matching any of ``words``, built as a character trie (fast with many words).

    A word starting (ending) with a letter or digit must start (end) at a word boundary, unless
    ``left_bound`` is false; ``*`` matches the rest of a word and a space any single optional space.
    """
    trie: _Node = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {"bounded": word[-1:].isalnum() or word.endswith("*")}

    def emit(node: _Node, first: bool) -> str:
        branches: list[str] = []
        for char, child in sorted(node.items(), key=lambda item: item[0] == _END):
            if char == _END:
                branches.append(r"(?!\w)" if child["bounded"] else "")
                continue
            head = r"\w*" if char == _STEM else r"\s?" if char == " " else re.escape(char)
            if first and left_bound and char.isalnum():
                head = r"(?<!\w)" + head
            branches.append(head + emit(child, False))
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie, True) if trie else "(?!)"


def money_regex(currencies: list[str], multipliers: list[str], range_words: list[str]) -> re.Pattern[str]:
    """Build the regex reading amounts from their first digit: "1,500 USD", "1.500 - 2.000 USD"."""
    currency = alternation(currencies)
    multiplier = alternation(multipliers, left_bound=False)
    joiner = alternation(range_words)

    def amount(number: str, mult: str) -> str:
        return rf"(?P<{number}>{_NUMBER})(?:\s?(?P<{mult}>{multiplier}))?"

    first = amount("n1", "m1")
    second = amount("n2", "m2")
    return re.compile(
        rf"{first}(?:\s?(?P<c2>{currency}))?"
        rf"(?:\s?{joiner}\s?(?:(?P<c3>{currency})\s?)?{second}(?:\s?(?P<c4>{currency}))?)?"
    )


def currency_before_regex(currencies: list[str]) -> re.Pattern[str]:
    """Build the regex for a currency written just before an amount ("$", "USD ", "RM ")."""
    return re.compile(rf"(?P<c1>{alternation(currencies)})\s?\Z")


def age_regex(range_words: list[str]) -> re.Pattern[str]:
    """Build the regex for age ranges (two numbers joined by a range word)."""
    joiner = alternation(range_words)
    return re.compile(
        rf"(?<![\d$€£])(?<!\d[.,])(?P<a>1\d|[2-6]\d)\s?{joiner}\s?(?P<b>1\d|[2-6]\d)(?!\d|[.,]\d|%)"
    )
