"""The Telegram bot: python-telegram-bot 22 wired to the Assistant, polling or webhook.

`run_telegram(settings, rasa)` builds the application and runs it until it is
stopped (or its task cancelled). Polling by default; with TELEGRAM_WEBHOOK_URL set,
a webhook on 127.0.0.1:TELEGRAM_WEBHOOK_PORT that refuses requests without
TELEGRAM_WEBHOOK_SECRET. TELEGRAM_API_BASE_URL points at a self-hosted Bot API
server (its root, e.g. http://127.0.0.1:8081).
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

from bot.assistant import Assistant
from bot.prefs import PrefsStore
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.telegram_exit import MessageLog
from bot.telegram_handlers import PURGE_INTERVAL_SECONDS, TelegramFrontEnd, add_handlers
from bot.telegram_keys import telegram_hash_key
from bot.telegram_limits import PerUserOrder, UserRateLimit
from bot.telegram_logging import install_log_redaction
from bot.telegram_staff import StaffSettings, register_staff_handlers
from bot.telegram_webhook import WebhookServer, valid_secret

log = logging.getLogger(__name__)

STATE_FILE = "telegram.sqlite3"
ALLOWED_UPDATES = ("message", "callback_query")
MAX_CONCURRENT_UPDATES = 256
STARTUP_ATTEMPTS = 5


def api_urls(base: str) -> tuple[str, str]:
    """Bot API and file URLs (PTB appends the token) for a self-hosted server's root URL."""
    root = base.rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    settings: Settings,
    rasa: RasaClient,
    *,
    limits: UserRateLimit | None = None,
    purge_interval: float = PURGE_INTERVAL_SECONDS,
    send_rate_limit: bool = True,
    staff: StaffSettings | None = None,
) -> Application:  # type: ignore[type-arg]
    """Wire the bot: stores, Assistant, update processing, handlers; nothing runs yet.

    `staff`: the NGO staff settings (default: from the environment, STAFF_TELEGRAM_IDS).
    """
    if not settings.telegram_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    _redact_logs(settings)  # before the Bot exists: it logs its URL, token included, at DEBUG
    state = settings.state_dir / STATE_FILE
    prefs = PrefsStore(state, settings.retention_hours)
    messages = MessageLog(state, settings.retention_hours)
    assistant = Assistant(rasa, prefs, default_language=settings.default_language,
                          retention_hours=settings.retention_hours)
    front = TelegramFrontEnd(assistant, messages, limits or UserRateLimit(),
                             telegram_hash_key(settings), purge_interval)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .concurrent_updates(PerUserOrder(front.admit, MAX_CONCURRENT_UPDATES))
        .post_init(front.post_init)
        .post_shutdown(front.post_shutdown)
        .job_queue(None)  # no APScheduler: the retention purge is a plain asyncio task
    )
    if send_rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    if settings.telegram_api_base_url:
        base_url, base_file_url = api_urls(settings.telegram_api_base_url)
        builder = builder.base_url(base_url).base_file_url(base_file_url)
    application = builder.build()
    application.bot_data["front_end"] = front
    application.bot_data["stop"] = asyncio.Event()
    register_staff_handlers(application, front, staff)  # NGO staff; before add_handlers: first match wins
    add_handlers(application, front)
    return application


async def serve(application: Application, settings: Settings) -> int:  # type: ignore[type-arg]
    """Run a built application until `bot_data["stop"]` is set or the task is cancelled."""
    stop: asyncio.Event = application.bot_data["stop"]
    _redact_logs(settings)
    if not await _initialize(application):
        return 1
    server: WebhookServer | None = None
    try:
        if application.post_init:
            await application.post_init(application)
        if settings.telegram_webhook_url:
            secret = settings.telegram_webhook_secret or ""
            await application.bot.set_webhook(settings.telegram_webhook_url, secret_token=secret,
                                              allowed_updates=list(ALLOWED_UPDATES))
            server = WebhookServer(application, secret, urlsplit(settings.telegram_webhook_url).path,
                                   settings.telegram_webhook_port)
            await server.start()
        else:
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=list(ALLOWED_UPDATES),
                                                    error_callback=_polling_error)
        await application.start()
        log.info("Telegram bot running (%s)", "webhook" if server else "polling")
        await stop.wait()
        return 0
    finally:
        if server is not None:
            await server.stop()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        log.info("Telegram bot stopped")


async def run_telegram(settings: Settings, rasa: RasaClient) -> int:
    """Serve the Telegram bot until it stops; return the exit code (2: bad configuration)."""
    _redact_logs(settings)
    if not settings.telegram_token:
        log.error("TELEGRAM_BOT_TOKEN is not set")
        return 2
    if settings.telegram_webhook_url and not valid_secret(settings.telegram_webhook_secret):
        log.error("Webhook mode needs TELEGRAM_WEBHOOK_SECRET: 1 to 256 characters, "
                  "letters, digits, _ and - only. Not starting.")
        return 2
    application = build_application(settings, rasa)
    return await serve(application, settings)


async def _initialize(application: Application) -> bool:  # type: ignore[type-arg]
    """Reach the Bot API (getMe), retrying a few times; False if it cannot be done."""
    for attempt in range(1, STARTUP_ATTEMPTS + 1):
        try:
            await application.initialize()
            return True
        except InvalidToken:
            log.error("Telegram refused the bot token (TELEGRAM_BOT_TOKEN)")
            break
        except TelegramError as error:
            log.warning("the Telegram Bot API cannot be reached (%s), attempt %d of %d",
                        type(error).__name__, attempt, STARTUP_ATTEMPTS)
            if attempt < STARTUP_ATTEMPTS:
                await asyncio.sleep(2.0 * attempt)
    front = application.bot_data["front_end"]
    front.assistant.prefs.close()
    front.messages.close()
    return False


def _redact_logs(settings: Settings) -> None:
    install_log_redaction([settings.telegram_token or "", settings.telegram_webhook_secret or "",
                           settings.user_id_hash_key or ""])


def _polling_error(error: TelegramError) -> None:
    log.warning("polling for updates failed (%s); retrying", type(error).__name__)
