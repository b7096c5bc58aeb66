"""Job offers in the chat: pasted, forwarded, or a screenshot; and "I'm already there"."""

from __future__ import annotations

import asyncio
import io
import os
import shutil

import pytest

from bot.assistant import Assistant, User, looks_like_pasted_offer
from bot.prefs import PrefsStore
from bot.rasa_client import RasaClient
from tests.conftest import free_port

pytestmark = pytest.mark.usefixtures("compiled_catalogs")

SCAM = ("URGENT! Typing job in Myawaddy near the Thai border. Salary $1500 a month, no experience "
        "needed. Flights and dormitory free! Contact us on Telegram only.")
LEGIT = ("Healthcare assistant, St Mary's Hospital, London. Permanent, 37.5 hours a week, £24,000 a "
         "year. Apply through NHS Jobs. Interviews held at the hospital. Certificate of sponsorship "
         "available for eligible candidates; the employer pays all visa and sponsorship costs.")


def _assistant() -> Assistant:
    rasa = RasaClient(f"http://127.0.0.1:{free_port()}", api_token="t", timeout=1.0)
    return Assistant(rasa, PrefsStore(":memory:"))


@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
def test_a_scam_offer_gets_high_risk_with_the_words_quoted(lang: str) -> None:
    assistant = _assistant()
    user = User("k")
    asyncio.run(assistant.handle_button(user, f"lang_{lang}"))
    reply = asyncio.run(assistant.handle_offer(user, SCAM))[0]
    assert "Myawaddy" in reply.text and "Telegram only" in reply.text
    assert "08000 121 700" in reply.text
    if lang == "en":
        assert reply.text.startswith("⚠️ High risk")


def test_every_quote_shown_is_in_the_offer() -> None:
    reply = asyncio.run(_assistant().handle_offer(User("k"), SCAM))[0]
    quotes = [line.split("“", 1)[1].rsplit("”", 1)[0]
              for line in reply.text.splitlines() if "“" in line]
    assert quotes
    assert all(quote.rstrip("…") in SCAM for quote in quotes)


def test_a_real_vacancy_is_low_and_says_that_is_not_a_guarantee() -> None:
    reply = asyncio.run(_assistant().handle_offer(User("k"), LEGIT))[0]
    assert "no red flag" in reply.text and "does not mean it is safe" in reply.text


def test_a_long_pasted_offer_is_checked_without_being_asked() -> None:
    long_scam = SCAM + " Send your passport copy and pay the 300 euro registration fee first to reserve."
    long_scam = long_scam + " " + long_scam
    assert looks_like_pasted_offer(long_scam)
    assert not looks_like_pasted_offer(LEGIT + " " + LEGIT)
    reply = asyncio.run(_assistant().handle_text(User("k"), long_scam))[0]
    assert "High risk" in reply.text


@pytest.mark.parametrize(
    "text",
    ["my boss took my passport and locks us in the house",
     "on m'a pris mon passeport et je ne peux pas sortir"],
)
def test_someone_already_exploited_gets_emergency_contacts_first(text: str) -> None:
    reply = asyncio.run(_assistant().handle_text(User("k"), text))[0]
    assert "999" in reply.text and "08000 121 700" in reply.text
    assert "not your fault" in reply.text or "pas de votre faute" in reply.text.lower() \
        or reply.text.index("999") < reply.text.index("“")


def _screenshot(text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 28)
    image = Image.new("RGB", (1400, 60 + 40 * 4), "white")
    draw = ImageDraw.Draw(image)
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) > 70:
            lines.append(line)
            line = ""
        line += word + " "
    lines.append(line)
    for number, content in enumerate(lines):
        draw.text((20, 20 + 40 * number), content, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_screenshot_is_read_where_tesseract_is_installed() -> None:
    reply = asyncio.run(_assistant().handle_offer_image(User("k"), _screenshot(SCAM)))[0]
    if shutil.which("tesseract") is None:
        assert not os.environ.get("REQUIRE_OCR"), "CI installs Tesseract: it must be found"
        assert "copy the text" in reply.text  # a clear message asking to paste the text
    else:
        assert "High risk" in reply.text and "Myawaddy" in reply.text
