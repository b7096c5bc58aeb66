"""The languages the assistant speaks: codes, names in their own script, direction, fallbacks."""

from __future__ import annotations

from typing import Final

# Order is the order of the language picker.
SUPPORTED: Final[tuple[str, ...]] = (
    "en", "ar", "fa", "ps", "ti", "ckb", "fr", "uk", "ru", "vi", "sq", "so",
)
DEFAULT: Final = "en"

# Each language's name in its own script: shown untranslated in the picker.
AUTONYMS: Final[dict[str, str]] = {
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی / دری",
    "ps": "پښتو",
    "ti": "ትግርኛ",
    "ckb": "کوردی (سۆرانی)",
    "fr": "Français",
    "uk": "Українська",
    "ru": "Русский",
    "vi": "Tiếng Việt",
    "sq": "Shqip",
    "so": "Soomaali",
}

RIGHT_TO_LEFT: Final = frozenset({"ar", "fa", "ps", "ckb"})

# Where a missing translation is looked up next, before the English source text.
FALLBACK_CHAIN: Final[dict[str, tuple[str, ...]]] = {
    "ps": ("fa",),
}

# Codes other systems send (Telegram's language_code, Babel, ISO 639-3) mapped to ours.
_ALIASES: Final[dict[str, str]] = {
    "prs": "fa",  # Dari
    "pes": "fa",
    "pbu": "ps",
    "pbt": "ps",
    "tir": "ti",
    "kur": "ckb",
    "ku": "ckb",
    "sqi": "sq",
    "som": "so",
}


def normalise_language(code: str | None) -> str | None:
    """Map a language code from anywhere to a supported code, or None (an allowlist)."""
    if not code or not isinstance(code, str) or len(code) > 16:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    base = _ALIASES.get(base, base)
    return base if base in SUPPORTED else None


def is_rtl(lang: str) -> bool:
    """Tell whether text in this language is written right to left."""
    return lang in RIGHT_TO_LEFT


def lookup_chain(lang: str) -> tuple[str, ...]:
    """The catalogs to look in, in order, for a language (English is the source text)."""
    return (lang, *FALLBACK_CHAIN.get(lang, ()))
