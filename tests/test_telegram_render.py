"""Telegram rendering: escaping, splitting under 4096, keyboards; checked against the stand-in's
strict Telegram-HTML parser."""

from __future__ import annotations

import random

import pytest

from bot.render import RLM, Button, Reply
from bot.telegram_render import (
    MAX_MESSAGE_UNITS,
    keyboard,
    outgoing,
    split_text,
    to_html,
    utf16_units,
)
from tests.bot_api_standin import TelegramHtmlError, parse_telegram_html

HOSTILE = [
    "<b>bold</b> & <i>co</i>", "</b>", "<a href='x'>", "&amp; &lt; &#60; &bogus;", "a > b < c",
    "/restart", "\u202e\u200f/restart", "😀👨‍👩‍👧 🇺🇦", "x" * 10_000, "<tg-spoiler>", "&",
    "\u200f\u2066+44 20 7946 0000\u2069", "",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_is_valid_telegram_html_and_shows_exactly_the_text(text: str) -> None:
    assert parse_telegram_html(to_html(text)) == text


def test_escaping_over_random_unicode() -> None:
    rng = random.Random(11)
    alphabet = "<>&;#/\"' \n\u200e\u200f\u202e\u2066\u2069ab1ب😀🇺\U0001F1E6\ufeff\x00"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert parse_telegram_html(to_html(text)) == text


def test_the_strict_parser_refuses_what_telegram_refuses() -> None:
    for bad in ("<b>open", "<script>x</script>", "a & b", "a > b", "</i>", "&bogus;"):
        with pytest.raises(TelegramHtmlError):
            parse_telegram_html(bad)


def test_long_text_is_split_on_paragraphs_under_the_limit() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 300 for n in range(12)]
    text = "\n\n".join(paragraphs)
    pieces = split_text(text)
    assert len(pieces) > 1
    assert all(utf16_units(p) <= MAX_MESSAGE_UNITS for p in pieces)
    assert all(p.startswith("Paragraph") for p in pieces)  # cut between paragraphs
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())  # nothing lost


def test_text_without_breaks_and_astral_characters_is_cut_safely() -> None:
    text = "😀" * 5000 + "x" * 9000  # 10,000 UTF-16 units of emoji, no spaces
    pieces = split_text(text)
    assert all(utf16_units(p) <= MAX_MESSAGE_UNITS for p in pieces)
    assert "".join(pieces) == text
    assert all(not ("\ud800" <= ch <= "\udfff") for p in pieces for ch in p)


def test_split_over_random_text_never_exceeds_the_limit() -> None:
    rng = random.Random(3)
    for _ in range(30):
        text = "".join(rng.choice(["a", " ", "\n", "\n\n", "😀", "ب", "&", "<"])
                       for _ in range(rng.randint(0, 12_000)))
        pieces = split_text(text, limit=1000)
        assert all(utf16_units(p) <= 1000 for p in pieces)
        assert "".join(text.split()) == "".join("".join(pieces).split())


def test_rtl_reply_keeps_its_direction_mark_on_every_piece_and_buttons_go_last() -> None:
    text = RLM + ("مرحبا " * 400 + "\n\n") * 3
    reply = Reply(text=text, buttons=(Button("menu", "القائمة"),), rtl=True)
    messages = outgoing(reply)
    assert len(messages) > 1
    assert all(m.text.startswith(RLM) for m in messages)
    assert [m.markup is not None for m in messages] == [False] * (len(messages) - 1) + [True]


def test_keyboard_uses_the_allowlisted_key_as_callback_data_two_per_row() -> None:
    markup = keyboard([Button("routes", "Safe routes"), Button("asylum", "Claim asylum"),
                       Button("x" * 65, "too long"), Button("menu", "Menu")])
    assert markup is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[("Safe routes", "routes"), ("Claim asylum", "asylum")], [("Menu", "menu")]]
    assert keyboard([]) is None
