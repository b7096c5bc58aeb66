"""Rendering message payloads: every message in every language, RTL, fallbacks."""

from __future__ import annotations

import re
import unicodedata

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from bot.catalogs import Catalogs
from bot.languages import SUPPORTED
from bot.messages import MESSAGES
from bot.render import LRI, PDI, RLM, Renderer, UnknownMessage

pytestmark = pytest.mark.usefixtures("compiled_catalogs")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_message_renders_in_every_language(lang: str) -> None:
    renderer = Renderer()
    for name, english in MESSAGES.items():
        args = {key: "X" for key in PLACEHOLDER.findall(english)}
        reply = renderer.reply(lang, {"msg": name, "args": args})
        assert reply.text.strip(), name
        assert "{" not in reply.text, f"{lang}/{name}: unfilled placeholder"


def test_arabic_and_french_are_complete_for_the_foundation() -> None:
    renderer = Renderer()
    for lang in ("ar", "fr"):
        for name in MESSAGES:
            english = MESSAGES[name]
            args = {key: "1" for key in PLACEHOLDER.findall(english)}
            reply = renderer.reply(lang, {"msg": name, "args": args})
            assert reply.complete, f"{lang}/{name} is not translated"
        assert Renderer().text(lang, "greet") != MESSAGES["greet"]


def test_arabic_reply_is_rtl_and_keeps_phone_numbers_in_order() -> None:
    reply = Renderer().reply(
        "ar",
        {"msg": "helpline_line", "args": {"name": {"t": "Police"}, "number": "08000 121 700",
                                          "hours": "24/7"}},
    )
    assert reply.rtl
    assert reply.text.startswith(RLM)
    # The number is isolated as left-to-right, its digits in their original order.
    assert f"{LRI}08000 121 700{PDI}" in reply.text
    # The message itself is Arabic text.
    assert any(unicodedata.bidirectional(ch) == "AL" for ch in Renderer().text("ar", "greet"))


def test_latin_reply_has_no_direction_marks() -> None:
    reply = Renderer().reply("fr", {"msg": "helpline_line",
                                    "args": {"name": "Police", "number": "17", "hours": "24/7"}})
    assert not reply.rtl
    assert RLM not in reply.text and LRI not in reply.text


def test_untranslated_language_falls_back_to_english_and_says_so(tmp_path) -> None:
    renderer = Renderer(Catalogs(directory=tmp_path))  # no catalogs at all
    reply = renderer.reply("so", {"msg": "menu", "buttons": ["menu"]})
    assert reply.text == MESSAGES["menu"]
    assert not reply.complete


def test_pashto_falls_back_to_farsi_before_english(tmp_path) -> None:
    catalog = Catalog(locale="fa")
    catalog.add(MESSAGES["menu"], "FA-MENU", context="menu")
    target = tmp_path / "fa" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    text, complete = Catalogs(directory=tmp_path).lookup("ps", MESSAGES["menu"], context="menu")
    assert text == "FA-MENU"
    assert not complete


def test_broken_translation_placeholders_fall_back_to_the_source(tmp_path) -> None:
    catalog = Catalog(locale="fr")
    catalog.add(MESSAGES["helpline_country"], "{pays} :", context="helpline_country")
    target = tmp_path / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    reply = Renderer(Catalogs(directory=tmp_path)).reply(
        "fr", {"msg": "helpline_country", "args": {"country": "France"}}
    )
    assert reply.text == "France:"
    assert not reply.complete


def test_buttons_outside_the_allowlist_are_not_shown() -> None:
    reply = Renderer().reply("en", {"msg": "menu", "buttons": ["menu", "restart", "/restart"]})
    assert [b.key for b in reply.buttons] == ["menu"]


def test_language_buttons_show_each_language_in_its_own_script() -> None:
    reply = Renderer().reply("en", {"msg": "choose_language", "buttons": ["lang_ar", "lang_ti"]})
    assert [b.label for b in reply.buttons] == ["العربية", "ትግርኛ"]


def test_unknown_message_is_refused() -> None:
    with pytest.raises(UnknownMessage):
        Renderer().reply("en", {"msg": "no_such_message"})


def test_dates_and_distances_follow_the_locale() -> None:
    renderer = Renderer()
    payload = {"msg": "helpline_line",
               "args": {"name": {"date": "2026-11-03"}, "number": {"km": 2.54}, "hours": "x"}}
    assert "Nov 3, 2026" in renderer.reply("en", payload).text
    french = renderer.reply("fr", payload).text
    assert "nov. 2026" in french and "2,5" in french
