"""What the Telegram front end keeps and logs: the key file, the message-id table, log redaction."""

from __future__ import annotations

import logging
import stat

import pytest

from bot.settings import Settings
from bot.telegram_exit import MessageLog
from bot.telegram_keys import KEY_FILE_NAME, telegram_hash_key
from bot.telegram_logging import RedactingFilter, install_log_redaction, redact
from tests.telegram_stack import TOKEN

HOUR = 3600.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("line", "gone"),
    [
        (f"POST https://api.telegram.org/bot{TOKEN}/sendMessage", TOKEN),
        ("chat 987654321 said something", "987654321"),
        ("call +44 20 7946 0000 now", "7946"),
        ("call 07700 900123", "900123"),
        ("رقم ٠٧٧٠٠٩٠٠١٢٣", "٠٧٧٠٠٩٠٠١٢٣"),
        ("(020) 7946-0000", "7946"),
    ],
)
def test_redaction_removes_the_token_ids_and_phone_numbers(line: str, gone: str) -> None:
    assert gone not in redact(line, [TOKEN])


def test_redaction_keeps_ordinary_log_lines_readable() -> None:
    line = "webhook server listening on 127.0.0.1:8443; 3 entries deleted in 10.5 s"
    assert redact(line, [TOKEN]) == line


def test_the_filter_on_root_handlers_redacts_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    install_log_redaction([TOKEN])
    assert any(isinstance(f, RedactingFilter) for f in caplog.handler.filters)
    log = logging.getLogger("tests.telegram")
    log.info("user %s at https://x/bot%s/getMe", 555666777, TOKEN)
    try:
        raise RuntimeError(f"failed for {TOKEN} and chat 555666777")
    except RuntimeError:
        log.exception("it broke")
    assert TOKEN not in caplog.text and "555666777" not in caplog.text
    assert "[secret]" in caplog.text and "it broke" in caplog.text
    assert logging.getLogger("httpx").level == logging.WARNING


def test_a_missing_hash_key_is_generated_once_kept_0600_and_never_logged(
    tmp_path, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    settings = Settings(state_dir=tmp_path / "state")
    key = telegram_hash_key(settings)
    path = tmp_path / "state" / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert telegram_hash_key(settings) == key  # the same key at the next start
    assert str(path) in caplog.text and key not in caplog.text
    assert telegram_hash_key(Settings(state_dir=tmp_path, user_id_hash_key="given")) == "given"


def test_message_ids_are_kept_48_hours_and_only_while_the_user_is_active(tmp_path) -> None:
    clock = Clock()
    log = MessageLog(tmp_path / "state.sqlite3", retention_hours=24, clock=clock)
    now = clock.now
    log.record("active", [(1, now - 48 * HOUR + 60), (2, now - 49 * HOUR), (3, now - 60)])
    log.record("idle", [(1, now - 30 * HOUR)])
    assert log.deletable("active") == [3]  # a minute from the 48 h limit: too late
    assert log.purge_expired() == 2  # too old to delete (2), idle past the retention ("idle")
    assert not log.holds("idle")
    clock.now += 25 * HOUR
    log.purge_expired()
    assert not log.holds("active")
    log.record("u", [(7, clock.now)])
    log.forget("u")
    assert not log.holds("u")
    log.close()


def test_the_table_holds_ids_and_times_only(tmp_path) -> None:
    log = MessageLog(tmp_path / "state.sqlite3")
    columns = [row[1] for row in log.db.execute("PRAGMA table_info(telegram_messages)")]
    assert columns == ["user_key", "message_id", "sent_at"]
    log.close()
