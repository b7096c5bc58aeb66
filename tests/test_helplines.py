"""Emergency numbers come from data, with their source and check date."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.helplines import emergency_payload, load_helplines
from bot.render import Renderer

pytestmark = pytest.mark.usefixtures("compiled_catalogs")


def test_every_helpline_is_sourced_and_dated() -> None:
    lines = load_helplines()
    assert {line.country for line in lines} == {"GB", "FR"}
    for line in lines:
        assert line.source.startswith("https://")
        assert line.checked <= dt.date.today()
        assert line.number.replace(" ", "").isdigit()


def test_future_check_date_is_refused(tmp_path) -> None:
    path = tmp_path / "h.yml"
    path.write_text(
        "countries:\n- code: GB\n  name: UK\n  lines:\n  - {id: x, name: X, number: '1', "
        "hours: h, emergency: true, source: 'https://x', checked: 2999-01-01}\n"
    )
    with pytest.raises(ValueError, match="future"):
        load_helplines(path)


@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
def test_emergency_answer_lists_the_numbers_first(lang: str) -> None:
    reply = Renderer().reply(lang, emergency_payload(load_helplines()))
    assert reply.complete
    for number in ("999", "112", "08000 121 700", "115"):
        assert number in reply.text
    assert reply.buttons
