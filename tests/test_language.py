"""Language codes and offline language detection."""

from __future__ import annotations

import pytest

from bot.language_detect import detect_language
from bot.languages import SUPPORTED, normalise_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("hello I need a lawyer please", "en"),
        ("مرحبا", "ar"),
        ("أحتاج محامي", "ar"),
        ("سلام من به وکیل نیاز دارم", "fa"),
        ("سلام زه وکیل ته اړتیا لرم", "ps"),
        ("سڵاو پێویستم بە پارێزەرە", "ckb"),
        ("ሰላም ጠበቓ የድልየኒ", "ti"),
        ("j'ai besoin d'un avocat", "fr"),
        ("Привіт, мені потрібен адвокат", "uk"),
        ("Привет, мне нужен адвокат", "ru"),
        ("xin chào tôi cần luật sư", "vi"),
        ("përshëndetje kam nevojë për avokat", "sq"),
        ("salaan waxaan u baahanahay qareen", "so"),
    ],
)
def test_detects_each_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["ok", "1", "👍", "", "taxi", "?!"])
def test_says_nothing_when_it_cannot_tell(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ar", "ar"), ("fr-FR", "fr"), ("fa_AF", "fa"), ("prs", "fa"), ("uk", "uk"),
     ("de", None), ("../../etc/passwd", None), ("", None), (None, None), ("x" * 100, None)],
)
def test_language_codes_go_through_an_allowlist(code, expected) -> None:
    assert normalise_language(code) == expected


def test_every_supported_language_is_its_own_normal_form() -> None:
    assert all(normalise_language(code) == code for code in SUPPORTED)
