"""Receive Telegram updates by webhook, on 127.0.0.1 behind the operator's HTTPS proxy.

Telegram sends the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`;
a request without it, or with another, is answered 403 and never processed (as PTB's
own webhook server does; PTB's needs tornado, which this project does not install,
so this is the same check on aiohttp, which Rasa already brings).
"""

from __future__ import annotations

import hmac
import json
import logging
import re

from aiohttp import web
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
MAX_UPDATE_BYTES = 1024 * 1024
# What Telegram accepts as a secret token: 1-256 characters A-Z, a-z, 0-9, _ and -.
_VALID_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def valid_secret(secret: str | None) -> bool:
    """Tell whether a webhook secret is one Telegram accepts."""
    return bool(secret) and _VALID_SECRET.fullmatch(secret or "") is not None


class WebhookServer:
    """A small HTTP server that checks the secret and queues updates for the application."""

    def __init__(self, application: Application, secret: str, path: str, port: int,  # type: ignore[type-arg]
                 host: str = "127.0.0.1") -> None:
        """Listen on host:port; accept POSTs to `path` that carry `secret`."""
        self.application = application
        self._secret = secret.encode()
        self.path = path if path.startswith("/") else "/" + path
        self.host, self.port = host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Start listening."""
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_post(self.path, self._receive)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info("webhook server listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        token = request.headers.get(SECRET_HEADER)
        if token is None or not hmac.compare_digest(token.encode(), self._secret):
            log.warning("webhook request refused: %s secret token",
                        "missing" if token is None else "wrong")
            return web.Response(status=403)
        if request.content_type != "application/json":
            return web.Response(status=403)
        try:
            update = Update.de_json(json.loads(await request.read()), self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        await self.application.update_queue.put(update)
        return web.Response(status=200)
