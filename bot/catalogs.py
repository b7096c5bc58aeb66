"""Load the compiled gettext catalogs from `locales/` and look messages up with fallbacks."""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from pathlib import Path

from bot.languages import SUPPORTED, lookup_chain

DOMAIN = "messages"
_CONTEXT_SEP = "\x04"


def locales_dir() -> Path:
    """The repository's `locales/` folder."""
    return Path(__file__).resolve().parent.parent / "locales"


@dataclass
class Catalogs:
    """Compiled catalogs, loaded on first use, one per language."""

    directory: Path = field(default_factory=locales_dir)
    _loaded: dict[str, dict[object, str]] = field(default_factory=dict, repr=False)

    def _catalog(self, lang: str) -> dict[object, str]:
        if lang not in SUPPORTED:
            return {}
        if lang not in self._loaded:
            mo = self.directory / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
            entries: dict[object, str] = {}
            if mo.is_file():
                with mo.open("rb") as handle:
                    entries = dict(gettext.GNUTranslations(handle)._catalog)  # noqa: SLF001
            self._loaded[lang] = entries
        return self._loaded[lang]

    def lookup(self, lang: str, english: str, context: str | None = None) -> tuple[str, bool]:
        """Return the text for `lang` and whether it is really in that language.

        English is the source language, so it is always complete. Otherwise each
        catalog of the language's fallback chain is tried, then the English text.
        """
        if lang == "en":
            return english, True
        key = f"{context}{_CONTEXT_SEP}{english}" if context else english
        for position, candidate in enumerate(lookup_chain(lang)):
            text = self._catalog(candidate).get(key)
            if text:
                return text, position == 0
        return english, False

    def lookup_plural(
        self, lang: str, singular: str, plural: str, count: int, context: str | None = None
    ) -> tuple[str, bool]:
        """Plural form of a message for `count`, with the same fallbacks as `lookup`."""
        default = singular if count == 1 else plural
        if lang == "en":
            return default, True
        key = f"{context}{_CONTEXT_SEP}{singular}" if context else singular
        for position, candidate in enumerate(lookup_chain(lang)):
            catalog = self._catalog(candidate)
            if (key, 0) in catalog:
                index = _plural_index(candidate, count)
                text = catalog.get((key, index)) or catalog.get((key, 0))
                if text:
                    return text, position == 0
        return default, False


def _plural_index(lang: str, count: int) -> int:
    from babel.messages.plurals import get_plural

    rule = get_plural(lang)
    # Evaluate the gettext plural expression safely with gettext's own compiler.
    return int(gettext.c2py(rule.plural_expr)(count))
