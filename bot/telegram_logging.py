"""Keep the bot token, ids and phone numbers out of the logs.

The front end never logs message text or raw ids on purpose; this filter is the
second line: whatever a library or a traceback puts in a log line, the token is
replaced, and so are runs of 6 or more digits (Telegram user and chat ids) and
anything that looks like a phone number.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# A phone number: an optional +, then digits with spaces, dots, dashes or brackets
# between them; 7 or more digits in all (so "127.0.0.1" and "10.5 s" stay readable).
_PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
_LONG_DIGITS = re.compile(r"\d{6,}")
NOISY_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "aiohttp.access")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """The text with secrets, phone-number-like sequences and long digit runs replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[secret]")
    text = _PHONE_LIKE.sub(_phone, text)
    return _LONG_DIGITS.sub("[number]", text)


def _phone(match: re.Match[str]) -> str:
    found = match.group(0)
    return "[phone]" if sum(ch.isdigit() for ch in found) >= 7 else found


class RedactingFilter(logging.Filter):
    """A handler filter that redacts every record before it is written."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        """Redact these secrets (the bot token, the webhook secret) besides numbers."""
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not break logging
            message = str(record.msg)
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def install_log_redaction(secrets: Iterable[str]) -> RedactingFilter:
    """Put one RedactingFilter on every root handler; quiet the loggers that log URLs or updates."""
    redacting = RedactingFilter(secrets)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(old)
        handler.addFilter(redacting)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return redacting
