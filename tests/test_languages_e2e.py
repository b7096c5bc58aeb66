"""The same questions in each of the twelve languages get answers in that language.

Through the real stack (Rasa server and action server on 127.0.0.1) and the front end's
Assistant, as every channel uses it.
"""

from __future__ import annotations

import asyncio
import sys

import pytest
from babel.messages.pofile import read_po

from bot.assistant import Assistant, User
from bot.prefs import PrefsStore
from bot.processes import Supervisor, action_service, rasa_service
from bot.rasa_client import RasaClient
from bot.render import RLM
from tests.conftest import REPO_ROOT, free_port

pytestmark = pytest.mark.stack

# "Hello, I need a lawyer" and "help near me", as people write them.
QUESTIONS = {
    "en": ["hello, I need a lawyer", "where can I find help near me"],
    "ar": ["مرحبا، أحتاج محامي", "وين ألاقي مساعدة قريبة مني"],
    "fa": ["سلام، به یک وکیل نیاز دارم", "کجا نزدیک من کمک پیدا کنم"],
    "ps": ["سلام، ما ته وکیل پکار دی", "زما نږدې مرسته چېرته ومومم"],
    "ti": ["ሰላም፣ ጠበቓ የድልየኒ", "ኣብ ጥቓይ ሓገዝ ኣበይ ክረክብ እኽእል"],
    "ckb": ["سڵاو، پێویستم بە پارێزەرە", "لە نزیک من یارمەتی لە کوێ دەدۆزمەوە"],
    "fr": ["bonjour, j'ai besoin d'un avocat", "où trouver de l'aide près de chez moi"],
    "uk": ["привіт, мені потрібен адвокат", "де знайти допомогу поруч зі мною"],
    "ru": ["привет, мне нужен адвокат", "где найти помощь рядом со мной"],
    "vi": ["xin chào, tôi cần luật sư", "tôi có thể tìm sự giúp đỡ gần đây ở đâu"],
    "sq": ["përshëndetje, kam nevojë për një avokat", "ku mund të gjej ndihmë afër meje"],
    "so": ["salaan, waxaan u baahanahay qareen", "xagee ka heli karaa caawimaad meel ii dhow"],
}


def _translations(lang: str) -> list[str]:
    if lang == "en":
        from bot.messages import MESSAGES

        return list(MESSAGES.values())
    with (REPO_ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return [m.string for m in read_po(handle) if m.id and isinstance(m.string, str) and m.string]


@pytest.fixture(scope="module")
def assistant(trained_model):
    rasa_port, action_port = free_port(), free_port()
    services = [action_service(sys.executable, action_port),
                rasa_service(sys.executable, rasa_port, action_port, "e2e-token", trained_model, 24)]
    supervisor = Supervisor(services, lambda text: None, max_restarts=0)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(supervisor.start_all())
    rasa = RasaClient(f"http://127.0.0.1:{rasa_port}", "e2e-token", timeout=10.0)
    yield loop, Assistant(rasa, PrefsStore(":memory:"))
    loop.run_until_complete(rasa.aclose())
    loop.run_until_complete(supervisor.stop_all())
    loop.close()


@pytest.mark.parametrize("lang", sorted(QUESTIONS))
def test_questions_are_answered_in_the_language_they_are_asked_in(assistant, lang: str) -> None:
    loop, bot = assistant
    known = [text[:25] for text in _translations(lang) if len(text) >= 12]
    for number, question in enumerate(QUESTIONS[lang]):
        user = User(f"{lang}-{number}")
        replies = loop.run_until_complete(bot.handle_text(user, question))
        assert bot.language_of(user) == lang, question
        first = replies[0].text.lstrip(RLM)
        assert any(first.startswith(start) for start in known), (lang, question, first[:80])
        assert replies[0].rtl == (lang in ("ar", "fa", "ps", "ckb"))
