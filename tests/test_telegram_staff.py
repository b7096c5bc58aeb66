"""NGO staff on Telegram: directory files imported on confirmation, stale entries re-confirmed.

The real python-telegram-bot application against the local Bot API stand-in (Rasa is not
needed: nothing here reaches it), with a temporary directory database seeded from
data/directory and a frozen "today".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import logging
import zipfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bot.directory.csvfiles import tables_to_csv_text
from bot.directory.datapackage import to_datapackage
from bot.directory.importer import import_directory
from bot.directory.model import MAX_FILE_BYTES, Tables
from bot.directory.stale import verify_entry
from bot.directory.store import audit_log, connect, content_hash, read_tables
from bot.directory.taxonomy import DATA_DIR, load_taxonomy
from bot.directory.upload import FileRefused, read_directory_file
from bot.telegram_limits import UserRateLimit
from bot.telegram_staff import (
    PENDING_SECONDS,
    StaffDesk,
    StaffSettings,
    _staff_key_data,
    safe_file_name,
    seconds_until,
)
from tests.bot_api_standin import BotApiStandin, Call, FakeUser
from tests.conftest import free_port
from tests.telegram_stack import RunningBot, running_bot

pytestmark = pytest.mark.usefixtures("compiled_catalogs")

STAFF = FakeUser(73519, "en")  # short enough that log redaction would not hide it
OTHER = FakeUser(4242, "en")
TODAY = dt.date(2027, 3, 1)
PHONE_ID = "childline-helpline-phone"
NEW_NUMBER = "+44 20 7946 0018"


def _dead_rasa():  # nothing listens there: Rasa "down", and never asked here
    from bot.rasa_client import RasaClient

    return RasaClient(f"http://127.0.0.1:{free_port()}", "t", timeout=1.0)


def _running(tmp_path: Path) -> Any:
    """The bot against the stand-in; the rate limit raised: these tests tap quickly."""
    return running_bot(_dead_rasa(), tmp_path / "state", limits=UserRateLimit(burst=50))


@pytest.fixture()
def directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory database seeded from data/directory; the staff list in the environment."""
    db = tmp_path / "directory.db"
    with closing(connect(db)) as conn:
        assert import_directory(conn, str(DATA_DIR), by="seed", today=TODAY).problems == []
    monkeypatch.setenv("DIRECTORY_DB", str(db))
    monkeypatch.setenv("STAFF_TELEGRAM_IDS", f" {STAFF.id}, 99999999 ")
    return db


def _hash(db: Path) -> str:
    with closing(connect(db)) as conn:
        return content_hash(conn)


def _tables(db: Path) -> Tables:
    with closing(connect(db)) as conn:
        return read_tables(conn)


def _audit(db: Path) -> list[dict[str, Any]]:
    with closing(connect(db)) as conn:
        return audit_log(conn)


def _edited(db: Path, edit: Callable[[Tables], None]) -> Tables:
    tables = _tables(db)
    edit(tables)
    return tables


def _new_phone_and_name(tables: Tables) -> None:
    next(p for p in tables["phones"] if p["id"] == PHONE_ID)["number"] = NEW_NUMBER
    next(s for s in tables["services"] if s["id"] == "samaritans-helpline")["name"] = "Samaritans (24 h)"


def _as_json(tables: Tables) -> bytes:
    return json.dumps(to_datapackage(tables, load_taxonomy()), ensure_ascii=False).encode()


def _as_zip(tables: Tables, folder: str = "directory/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in tables_to_csv_text(tables).items():
            archive.writestr(folder + name, text)
        archive.writestr("README.txt", "not read")
    return buffer.getvalue()


def _send_file(api: BotApiStandin, user: FakeUser, name: str, data: bytes, *,
               size: int | None = None, caption: str | None = None) -> None:
    file_id = f"doc-{len(api.files) + 1}"
    api.files[file_id] = data
    document: dict[str, Any] = {"file_id": file_id, "file_unique_id": file_id, "file_name": name}
    if size != 0:
        document["file_size"] = len(data) if size is None else size
    extra = {"caption": caption} if caption else {}
    api.user_message(user, document=document, **extra)


def _desk(bot: RunningBot) -> StaffDesk:
    desk: StaffDesk = bot.application.bot_data["staff_desk"]
    desk.today = lambda: TODAY
    return desk


async def _next(api: BotApiStandin, user: FakeUser, seen: int, count: int = 1) -> list[Call]:
    """Wait for `count` more messages to the user than the `seen` so far; return the new ones."""
    await api.wait_for_messages(user.id, seen + count, timeout=20)
    return api.sent(user.id)[seen:]


def _text(calls: list[Call]) -> str:
    return "\n".join(c.result["text"] for c in calls)


@pytest.mark.parametrize(("name", "encode"), [("directory.json", _as_json), ("Directory.ZIP", _as_zip)])
def test_staff_file_is_summarised_then_applied_on_confirm(
    directory: Path, tmp_path: Path, name: str, encode: Callable[[Tables], bytes]
) -> None:
    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            api, desk = bot.api, _desk(bot)
            before = _hash(directory)
            _send_file(api, STAFF, name, encode(_edited(directory, _new_phone_and_name)))
            summary = await _next(api, STAFF, 0)
            text = _text(summary)
            assert f"{name} would make these changes to the directory:" in text
            assert f"changed in phones: {PHONE_ID} (number)" in text
            assert "check before publishing: number was" in text and "+442079460018" in text
            assert "changed in services: samaritans-helpline (name)" in text
            assert "⚠️" in text and "expires in 30 minutes" in text
            assert api.buttons(summary[-1]) == ["staff:confirm", "staff:cancel"]
            assert _hash(directory) == before  # nothing yet
            assert len(desk.pending) == 1

            api.press(STAFF, summary[-1].result["message_id"], "staff:confirm")
            done = await _next(api, STAFF, len(summary))
            assert "Published" in _text(done)
            phone = next(p for p in _tables(directory)["phones"] if p["id"] == PHONE_ID)
            assert phone["number"] == "+442079460018"
            entry = _audit(directory)[-1]
            assert entry["action"] == "import"
            assert entry["by"] == f"telegram staff {bot.key(STAFF.id)[:8]}"
            assert entry["source"] == f"telegram upload: {name}"
            assert entry["changes"]["phones"]["changed"][PHONE_ID]["number"][1] == "+442079460018"
            assert f"change {entry['id']}" in _text(done)
            assert len(desk.pending) == 0
            assert len(api.calls_to("getFile")) == 1

    asyncio.run(scenario())


def test_a_file_with_errors_lists_every_problem_and_changes_nothing(directory: Path, tmp_path: Path) -> None:
    def break_it(tables: Tables) -> None:
        next(p for p in tables["phones"] if p["id"] == PHONE_ID)["number"] = "call us!"
        tables["services"][0]["organization_id"] = "no-such-org"
        tables["services"][1]["assured_date"] = "2099-01-01"

    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            api, desk = bot.api, _desk(bot)
            before = _hash(directory)
            _send_file(api, STAFF, "directory.json", _as_json(_edited(directory, break_it)))
            text = _text(await _next(api, STAFF, 0))
            assert "problem(s) in directory.json, so nothing was changed" in text
            assert "directory.json: phone, row" in text  # by file, row and field
            assert "'call us!' contains characters that do not belong in a phone number" in text
            assert "'no-such-org' does not match any id in" in text
            assert "The verification date 2099-01-01 is in the future (today is 2027-03-01)" in text
            assert len(desk.pending) == 0
            assert not api.buttons(api.sent(STAFF.id)[-1])
            _send_file(api, STAFF, "directory.zip", b"PK\x03\x04 not really a zip")
            assert "cannot be opened" in _text(await _next(api, STAFF, 1))
            only_services = io.BytesIO()
            with zipfile.ZipFile(only_services, "w") as archive:
                archive.writestr("services.csv", "id,organization_id,name,service_types,status\r\n")
            _send_file(api, STAFF, "directory.zip", only_services.getvalue())
            text = _text(await _next(api, STAFF, 2))
            assert "The file is missing: expected phones.csv" in text
            assert "The source lists no services" in text
            assert _hash(directory) == before

    asyncio.run(scenario())


def test_cancel_and_late_or_repeated_confirm_change_nothing(directory: Path, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            api, desk = bot.api, _desk(bot)
            before = _hash(directory)
            upload = _as_json(_edited(directory, _new_phone_and_name))
            _send_file(api, STAFF, "directory.json", upload)
            summary = (await _next(api, STAFF, 0))[-1]
            api.press(STAFF, summary.result["message_id"], "staff:cancel")
            assert "Cancelled. Nothing was changed." in _text(await _next(api, STAFF, 1))
            api.press(STAFF, summary.result["message_id"], "staff:confirm")  # too late: cancelled
            assert "no import waiting" in _text(await _next(api, STAFF, 2))
            assert _hash(directory) == before

            now = [1000.0]
            desk.pending.clock = lambda: now[0]
            _send_file(api, STAFF, "directory.json", upload)
            summary = (await _next(api, STAFF, 3))[-1]
            now[0] += PENDING_SECONDS + 1  # half an hour later: forgotten
            api.press(STAFF, summary.result["message_id"], "staff:confirm")
            assert "expired after 30 minutes" in _text(await _next(api, STAFF, 4))
            assert _hash(directory) == before

            _send_file(api, STAFF, "same.json", _as_json(_tables(directory)))
            assert "No changes: the directory already matches same.json" in _text(await _next(api, STAFF, 5))
            assert _hash(directory) == before

    asyncio.run(scenario())


def test_the_directory_changing_meanwhile_asks_again_before_applying(directory: Path, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            api, desk = bot.api, _desk(bot)
            _send_file(api, STAFF, "directory.json", _as_json(_edited(directory, _new_phone_and_name)))
            summary = (await _next(api, STAFF, 0))[-1]
            with closing(connect(directory)) as conn:  # meanwhile, someone re-checks an entry
                verify_entry(conn, "refuge-helpline", by="Ana", today=TODAY)
            before = _hash(directory)
            api.press(STAFF, summary.result["message_id"], "staff:confirm")
            again = await _next(api, STAFF, 1)
            assert "The directory changed after you sent this file" in _text(again)
            assert "changed in services: refuge-helpline (assured_date, assurer)" in _text(again)
            assert _hash(directory) == before
            api.press(STAFF, again[-1].result["message_id"], "staff:confirm")
            assert "Published" in _text(await _next(api, STAFF, 2))
            assert len(desk.pending) == 0

    asyncio.run(scenario())


def test_anyone_else_sending_a_file_is_refused_and_it_is_never_downloaded(
    directory: Path, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            api = bot.api
            before = _hash(directory)
            upload = _as_json(_edited(directory, _new_phone_and_name))
            _send_file(api, OTHER, "directory.json", upload)
            refusal = await _next(api, OTHER, 0)
            assert "I do not open files sent here" in _text(refusal)
            assert "menu" in api.buttons(refusal[-1])
            _send_file(api, OTHER, "directory.zip", _as_zip(_tables(directory)), caption="please import")
            assert "I do not open files sent here" in _text(await _next(api, OTHER, 1))
            _send_file(api, OTHER, "scan.pdf", b"%PDF-1.4")
            assert "I do not open files sent here" in _text(await _next(api, OTHER, 2))
            # Forged staff buttons and /stale: what any unknown button or command gets.
            api.press(OTHER, refusal[-1].result["message_id"], "staff:confirm")
            api.press(OTHER, refusal[-1].result["message_id"], "staff:verified:refuge-helpline")
            menus = await _next(api, OTHER, 3, 2)
            assert all("routes" in api.buttons(c) for c in menus)
            assert not any("verified" in c.result["text"] for c in menus)
            assert not api.calls_to("getFile")
            assert _hash(directory) == before
            assert _audit(directory)[-1]["by"] == "seed"

    asyncio.run(scenario())


def test_a_caption_on_an_ordinary_document_is_still_checked_as_a_job_offer(
    directory: Path, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            offers: list[str] = []
            original = bot.front.assistant.handle_offer

            async def spy(user: Any, text: str) -> Any:
                offers.append(text)
                return await original(user, text)

            bot.front.assistant.handle_offer = spy  # type: ignore[method-assign]
            _send_file(bot.api, OTHER, "contract.pdf", b"%PDF-1.4", caption="Pay the visa fee first")
            await _next(bot.api, OTHER, 0)
            assert offers == ["Pay the visa fee first"]
            assert not bot.api.calls_to("getFile")

    asyncio.run(scenario())


def test_oversize_and_unknown_kinds_of_file_are_refused_before_download(
    directory: Path, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            api = bot.api
            before = _hash(directory)
            _send_file(api, STAFF, "directory.json", b"{}", size=MAX_FILE_BYTES + 1)
            assert "too large (10.0 MB); the limit is 10 MB" in _text(await _next(api, STAFF, 0))
            _send_file(api, STAFF, "directory.exe", b"MZ")
            _send_file(api, STAFF, "services.csv", b"id\n")
            kinds = _text(await _next(api, STAFF, 1, 2))
            assert kinds.count("I can only import the directory file") == 2
            assert not api.calls_to("getFile")
            # No size given by Telegram: checked once the file's size is known, still unread.
            _send_file(api, STAFF, "big.zip", b"PK" + b"0" * MAX_FILE_BYTES, size=0)
            assert "too large" in _text(await _next(api, STAFF, 3))
            assert _hash(directory) == before

    asyncio.run(scenario())


def test_reminder_then_two_taps_verify_an_entry_today(
    directory: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            api, desk = bot.api, _desk(bot)
            with closing(connect(directory)) as conn:
                verify_entry(conn, "refuge-helpline", by="Ana", today=TODAY - dt.timedelta(days=170))
                verify_entry(conn, "samaritans-helpline", by="Ana", today=TODAY - dt.timedelta(days=100))
            assert desk._reminder is not None and not desk._reminder.done()  # the daily task runs
            assert await desk.send_reminders() == 2  # both listed ids (the stand-in takes any chat)
            reminder = await _next(api, STAFF, 0, 11)
            assert "65 entries are due for checking: not verified within the last 166 days" in \
                reminder[0].result["text"]
            assert "10 oldest" in reminder[0].result["text"]
            entries = reminder[1:]
            assert all(api.buttons(c) == [f"staff:verify:{c.result['text'].splitlines()[1]}"]
                       for c in entries)
            assert all(c.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Still correct ✓"
                       for c in entries)
            assert "Never verified." in entries[0].result["text"]
            assert not api.sent(OTHER.id)

            first = api.buttons(entries[0])[0]
            service_id = first.split(":", 2)[2]
            api.press(STAFF, entries[0].result["message_id"], first)
            ask = await _next(api, STAFF, 11)
            assert "Did you check" in _text(ask)
            assert api.buttons(ask[-1]) == [f"staff:verified:{service_id}"]
            api.press(STAFF, ask[-1].result["message_id"], f"staff:verified:{service_id}")
            done = _text(await _next(api, STAFF, 12))
            assert "marked as verified on Mar 1, 2027" in done
            service = next(s for s in _tables(directory)["services"] if s["id"] == service_id)
            staff_name = f"telegram staff {bot.key(STAFF.id)[:8]}"
            assert (service["assured_date"], service["assurer"]) == ("2027-03-01", staff_name)
            entry = _audit(directory)[-1]
            assert (entry["action"], entry["by"], entry["source"]) == ("verify", staff_name, service_id)
            assert entry["changes"]["services"]["changed"][service_id]["assured_date"] == ["", "2027-03-01"]

            api.user_message(STAFF, "/stale")  # the list now, one entry fewer
            now = await _next(api, STAFF, 13, 11)
            assert now[0].result["text"].startswith("64 entries are due")
            assert service_id not in _text(now)
            api.press(STAFF, now[1].result["message_id"], "staff:verify:no-such-service")
            assert "no longer in the directory" in _text(await _next(api, STAFF, 24))

        assert str(STAFF.id) not in caplog.text

    asyncio.run(scenario())


def test_the_daily_task_sends_the_reminder_by_itself(directory: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.telegram_staff

    waits: list[int] = []

    def soon(hour_utc: int, now: dt.datetime) -> float:
        waits.append(hour_utc)
        return 0.05

    monkeypatch.setattr(bot.telegram_staff, "seconds_until", soon)

    async def scenario() -> None:
        async with _running(tmp_path) as running:
            _desk(running)
            reminder = await _next(running.api, STAFF, 0, 11)
            assert reminder[0].result["text"].startswith("66 entries are due for checking")
            assert waits == [8]  # the default hour, 08:00 UTC
        assert running.application.bot_data["staff_desk"]._reminder is None  # stopped with the bot

    asyncio.run(scenario())


def test_stale_command_when_everything_is_verified_and_for_others(directory: Path, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            api, desk = bot.api, _desk(bot)
            with closing(connect(directory)) as conn:
                for (service_id,) in conn.execute("SELECT id FROM services").fetchall():
                    verify_entry(conn, service_id, by="Ana", today=TODAY)
            api.user_message(STAFF, "/stale")
            assert "Every entry has been verified within the last 166 days" in \
                _text(await _next(api, STAFF, 0))
            assert await desk.send_reminders() == 0  # nothing due: no reminder at all
            api.user_message(OTHER, "/stale")
            other = _text(await _next(api, OTHER, 0))
            assert "verified" not in other
            assert len(api.sent(STAFF.id)) == 1

    asyncio.run(scenario())


def test_no_staff_configured_means_no_reminder_task(directory: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAFF_TELEGRAM_IDS")

    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            desk = _desk(bot)
            assert desk._reminder is None
            assert await desk.send_reminders() == 0
            _send_file(bot.api, STAFF, "directory.json", b"{}")
            assert "I do not open files" in _text(await _next(bot.api, STAFF, 0))
            assert not bot.api.calls_to("getFile")

    asyncio.run(scenario())


def test_staff_are_answered_in_their_own_language(directory: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    arabic = FakeUser(73520, "ar")
    monkeypatch.setenv("STAFF_TELEGRAM_IDS", f"{STAFF.id},{arabic.id}")

    async def scenario() -> None:
        async with _running(tmp_path) as bot:
            api, desk = bot.api, _desk(bot)
            api.user_message(arabic, "/stale")
            answer = await _next(api, arabic, 0, 11)
            assert all(c.result["text"].startswith("\u200f") for c in answer)  # right to left
            api.user_message(STAFF, "/stale")
            assert not (await _next(api, STAFF, 0, 11))[0].result["text"].startswith("\u200f")
            assert await desk.send_reminders() == 2  # the reminder too, in the language last seen
            reminder = await _next(api, arabic, 11, 11)
            assert all(c.result["text"].startswith("\u200f") for c in reminder)

    asyncio.run(scenario())


# Pieces --------------------------------------------------------------------------------


def test_staff_settings_are_read_from_the_environment() -> None:
    settings = StaffSettings.from_env({"STAFF_TELEGRAM_IDS": "123456789, 42 ,", "STAFF_STALE_DAYS": "90",
                                       "STAFF_REMIND_DAYS_BEFORE": "10", "STAFF_REMINDER_HOUR_UTC": "6",
                                       "DIRECTORY_DB": "var/d.db"})
    assert settings.staff_telegram_ids == {123456789, 42}
    assert (settings.remind_after_days, settings.reminder_hour_utc) == (80, 6)
    assert settings.directory_db == Path("var/d.db")
    assert "123456789" not in repr(settings)
    defaults = StaffSettings.from_env({})
    assert (defaults.staff_telegram_ids, defaults.remind_after_days) == (frozenset(), 166)
    for bad in ({"STAFF_TELEGRAM_IDS": "12, @someone"}, {"STAFF_REMINDER_HOUR_UTC": "24"},
                {"STAFF_REMIND_DAYS_BEFORE": "200"}):
        with pytest.raises(SystemExit) as error:
            StaffSettings.from_env(bad)
        assert "someone" not in str(error.value)


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        ("staff:confirm", ("confirm", None)),
        ("staff:cancel", ("cancel", None)),
        ("staff:verify:refuge-helpline", ("verify", "refuge-helpline")),
        ("staff:verified:a.b_c-1", ("verified", "a.b_c-1")),
        ("staff:verify:", None),
        ("staff:verify:../etc", None),
        ("staff:verify:x\n", None),
        ("staff:verified:" + "a" * 50, None),  # over 64 bytes in all
        ("staff:delete:x", None),
        ("menu", None),
        (None, None),
    ],
)
def test_staff_button_data_is_checked(data: object, parsed: object) -> None:
    assert _staff_key_data(data) == parsed


def test_seconds_until_the_daily_reminder() -> None:
    utc = dt.timezone.utc
    assert seconds_until(8, dt.datetime(2027, 3, 1, 7, 30, tzinfo=utc)) == 1800
    assert seconds_until(8, dt.datetime(2027, 3, 1, 8, 0, tzinfo=utc)) == 24 * 3600
    paris = dt.timezone(dt.timedelta(hours=1))
    assert seconds_until(8, dt.datetime(2027, 3, 1, 8, 30, tzinfo=paris)) == 1800


def test_zip_reading_is_bounded_and_never_follows_paths() -> None:
    tables = _tables_from_data()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in tables_to_csv_text(tables).items():
            archive.writestr(name, text)
        archive.writestr("../../etc/services.csv", "id\n")
    with pytest.raises(FileRefused) as refused:
        read_directory_file("d.zip", buffer.getvalue(), TODAY)
    assert refused.value.name == "staff_zip_duplicate"
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(60):
            archive.writestr(f"f{n}.txt", "")
    with pytest.raises(FileRefused) as refused:
        read_directory_file("d.zip", many.getvalue(), TODAY)
    assert refused.value.name == "staff_zip_too_many"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("services.csv", "x" * (MAX_FILE_BYTES + 10))
    _, problems = read_directory_file("d.zip", bomb.getvalue(), TODAY)
    assert any(p.code == "file_too_large" and p.file == "services.csv" for p in problems)
    package = {"resources": [{"name": "service", "path": "/etc/passwd"}]}
    _, problems = read_directory_file("d.json", json.dumps(package).encode(), TODAY)
    assert any(p.code == "file_missing" and p.file == "/etc/passwd" for p in problems)


def test_long_lists_of_problems_or_changes_are_cut_and_counted() -> None:
    shown = StaffDesk._lines([f"line {n}" for n in range(130)], "staff_problems_more")
    assert len(shown[0]["lines"]) == 100
    assert shown[1] == {"msg": "staff_problems_more", "args": {"count": 30}}
    assert StaffDesk._lines(["one"], "staff_changes_more") == [{"lines": ["one"]}]


def test_file_names_are_made_safe_to_show_and_record() -> None:
    assert safe_file_name("dir\u202eectory\n.json") == "directory.json"
    assert safe_file_name(None) == "file"
    assert len(safe_file_name("a" * 500)) == 80


def _tables_from_data() -> Tables:
    from bot.directory.importer import validate_source

    tables, problems = validate_source(str(DATA_DIR), today=TODAY)
    assert problems == []
    return tables
