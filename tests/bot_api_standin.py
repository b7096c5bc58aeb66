"""A local stand-in of the Telegram Bot API, on 127.0.0.1, for tests and the benchmark.

It answers the methods the bot uses (getMe, getUpdates with queued fake updates,
sendMessage, editMessageText, answerCallbackQuery, deleteMessages, deleteMessage,
setMyCommands, setWebhook, deleteWebhook, getWebhookInfo, getFile and file
downloads), records every call, and checks what Telegram checks: text sent with
parse_mode=HTML must be well-formed Telegram HTML (only its tags, only its
entities, `<`, `>` and `&` escaped), at most 4096 characters after parsing, and
callback data at most 64 bytes. Requests arrive form-encoded, complex fields
JSON-encoded inside, as python-telegram-bot sends them.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TELEGRAM_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "code", "pre", "blockquote", "tg-emoji", "tg-time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_JSON_FIELDS = {
    "reply_markup", "message_ids", "commands", "allowed_updates", "link_preview_options",
    "scope", "entities", "reply_parameters",
}
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?")
MAX_TEXT_UNITS = 4096


class TelegramHtmlError(ValueError):
    """Text that Telegram would refuse with "can't parse entities"."""


def parse_telegram_html(text: str) -> str:
    """The plain text Telegram would show for `text` sent with parse_mode=HTML (strict)."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            end = text.find(">", i)
            if end < 0:
                raise TelegramHtmlError(f"unclosed start tag at offset {i}")
            body = text[i + 1:end].strip()
            closing = body.startswith("/")
            name = (body[1:] if closing else body).split(maxsplit=1)[0].lower() if body.strip("/") else ""
            if name not in TELEGRAM_TAGS:
                raise TelegramHtmlError(f"unsupported start tag {name!r} at offset {i}")
            if closing:
                if not open_tags or open_tags.pop() != name:
                    raise TelegramHtmlError(f"unmatched end tag {name!r} at offset {i}")
            else:
                open_tags.append(name)
            i = end + 1
        elif char == "&":
            end = text.find(";", i, i + 12)
            entity = text[i + 1:end] if end > 0 else ""
            if entity in _NAMED_ENTITIES:
                out.append(_NAMED_ENTITIES[entity])
            elif re.fullmatch(r"#[0-9]{1,7}", entity):
                out.append(chr(int(entity[1:])))
            elif re.fullmatch(r"#[xX][0-9a-fA-F]{1,6}", entity):
                out.append(chr(int(entity[2:], 16)))
            else:
                raise TelegramHtmlError(f"unsupported HTML entity at offset {i}")
            i = end + 1
        elif char == ">":
            raise TelegramHtmlError(f"unescaped '>' at offset {i}")
        else:
            out.append(char)
            i += 1
    if open_tags:
        raise TelegramHtmlError(f"can't find end tag corresponding to start tag {open_tags[-1]!r}")
    return "".join(out)


def utf16_units(text: str) -> int:
    """Telegram's length: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    """One request the stand-in received."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() on arrival
    ok: bool = True
    result: Any = None


@dataclass
class FakeUser:
    """A Telegram user writing to the bot in a private chat (chat id = user id)."""

    id: int
    language_code: str | None = "en"
    first_name: str = "Test"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


@dataclass
class ChatMessage:
    """A message the stand-in knows of, in one chat."""

    message_id: int
    date: int
    from_bot: bool
    text: str = ""
    deleted: bool = False


@dataclass
class _Chat:
    next_id: int = 1
    messages: dict[int, ChatMessage] = field(default_factory=dict)

    def add(self, from_bot: bool, text: str, date: int) -> ChatMessage:
        message = ChatMessage(self.next_id, date, from_bot, text)
        self.messages[message.message_id] = message
        self.next_id += 1
        return message


class BotApiStandin:
    """The fake Bot API server. Use `async with BotApiStandin(token) as api:`."""

    def __init__(self, token: str, bot_username: str = "safe_helper_test_bot") -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.calls: list[Call] = []
        self.chats: dict[int, _Chat] = {}
        self.files: dict[str, bytes] = {}
        self.webhook: dict[str, Any] | None = None
        self.reject_html = 0  # refuse the next N HTML messages as Telegram does a parse error
        self.queued_at: dict[int, float] = {}  # update id -> time.monotonic() when queued
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # Server -----------------------------------------------------------------------

    async def __aenter__(self) -> BotApiStandin:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The root URL to give as TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}"

    # Fake users' side -------------------------------------------------------------

    def queue_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update for getUpdates; return its update id."""
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, **update})
        self.queued_at[update_id] = time.monotonic()
        self._new_update.set()
        return update_id

    def user_message(self, user: FakeUser, text: str | None = None, *, age_seconds: float = 0,
                     **fields: Any) -> tuple[int, int]:
        """The user sends a message (text, or other fields such as location); return
        (update id, message id)."""
        date = int(time.time() - age_seconds)
        message = self._chat(user.id).add(False, text or "", date)
        data: dict[str, Any] = {"message_id": message.message_id, "date": date,
                                "chat": user.chat(), "from": user.as_dict(), **fields}
        if text is not None:
            data["text"] = text
            command = _COMMAND.match(text)
            if command:
                data["entities"] = [{"type": "bot_command", "offset": 0,
                                     "length": utf16_units(command.group(0))}]
        return self.queue_update({"message": data}), message.message_id

    def forwarded(self, user: FakeUser, text: str) -> tuple[int, int]:
        """The user forwards someone else's text message."""
        origin = {"type": "hidden_user", "date": int(time.time()) - 3600, "sender_user_name": "X"}
        return self.user_message(user, text, forward_origin=origin)

    def location(self, user: FakeUser, latitude: float, longitude: float) -> tuple[int, int]:
        """The user shares a location."""
        return self.user_message(user, location={"latitude": latitude, "longitude": longitude})

    def photo(self, user: FakeUser, data: bytes, caption: str | None = None) -> tuple[int, int]:
        """The user sends a photo (sizes a thumbnail and the full picture)."""
        file_id = f"photo-{len(self.files) + 1}"
        self.files[file_id] = data
        sizes = [
            {"file_id": file_id + "-s", "file_unique_id": file_id + "-s", "width": 90, "height": 60,
             "file_size": 100},
            {"file_id": file_id, "file_unique_id": file_id, "width": 900, "height": 600,
             "file_size": len(data)},
        ]
        fields: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            fields["caption"] = caption
        return self.user_message(user, **fields)

    def press(self, user: FakeUser, message_id: int, data: str) -> int:
        """The user presses a button under one of the bot's messages."""
        chat = self._chat(user.id)
        shown = chat.messages.get(message_id)
        message = {"message_id": message_id, "date": shown.date if shown else int(time.time()),
                   "chat": user.chat(), "from": self._me(), "text": shown.text if shown else "x"}
        query = {"id": f"q{len(self.calls)}-{message_id}", "from": user.as_dict(),
                 "chat_instance": f"ci{user.id}", "message": message, "data": data}
        return self.queue_update({"callback_query": query})

    # What the bot did -------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        """Every call of one method, in order."""
        return [c for c in self.calls if c.method == method]

    def sent(self, chat_id: int) -> list[Call]:
        """The messages the bot sent to a chat (accepted ones), in order."""
        return [c for c in self.calls_to("sendMessage")
                if c.ok and int(c.params["chat_id"]) == chat_id]

    def texts(self, chat_id: int) -> list[str]:
        """What the user sees of the bot's messages to a chat, in order (after parsing)."""
        return [c.result["text"] for c in self.sent(chat_id)]

    def buttons(self, call: Call) -> list[str]:
        """The callback data of the buttons under a sent message."""
        markup = call.params.get("reply_markup") or {}
        return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        """Wait until `condition()` holds, or fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout} s")
            await asyncio.sleep(0.01)

    async def wait_for_messages(self, chat_id: int, count: int, timeout: float = 30.0) -> list[Call]:
        """Wait until the bot has sent at least `count` messages to the chat in all."""
        await self.wait_until(lambda: len(self.sent(chat_id)) >= count, timeout)
        return self.sent(chat_id)

    # The API ----------------------------------------------------------------------

    def _chat(self, chat_id: int) -> _Chat:
        return self.chats.setdefault(chat_id, _Chat())

    def _me(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Helper",
                "username": self.bot_username, "can_join_groups": False,
                "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        data = self.files.get(request.match_info["path"].rsplit("/", 1)[-1])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await _params(request)
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        handler = getattr(self, "_m_" + method, None)
        if handler is None:
            call.ok = False
            return _error(404, "Not Found")
        try:
            call.result = await handler(params)
        except _ApiError as error:
            call.ok = False
            return _error(error.code, error.description)
        return web.json_response({"ok": True, "result": call.result})

    async def _m_getMe(self, params: dict[str, Any]) -> Any:
        return self._me()

    async def _m_getUpdates(self, params: dict[str, Any]) -> Any:
        if self.webhook:
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while not self._updates and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                break
        return self._updates[:limit]

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        text = self._check_text(params)
        self._check_markup(params.get("reply_markup"))
        message = self._chat(chat_id).add(True, text, int(time.time()))
        result: dict[str, Any] = {"message_id": message.message_id, "date": message.date,
                                  "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
                                  "from": self._me(), "text": text}
        if params.get("reply_markup"):
            result["reply_markup"] = params["reply_markup"]
        return result

    async def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        text = self._check_text(params)
        message = self._chat(chat_id).messages.get(message_id)
        if message is None or not message.from_bot or message.deleted:
            raise _ApiError(400, "Bad Request: message to edit not found")
        message.text = text
        return {"message_id": message_id, "date": message.date, "edit_date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
                "from": self._me(), "text": text}

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_deleteMessages(self, params: dict[str, Any]) -> Any:
        ids = params.get("message_ids") or []
        if not 1 <= len(ids) <= 100:
            raise _ApiError(400, "Bad Request: message_ids must contain 1-100 identifiers")
        chat = self._chat(int(params["chat_id"]))
        now = time.time()
        for message_id in ids:
            message = chat.messages.get(int(message_id))
            if message is not None and now - message.date < 48 * 3600:
                message.deleted = True
        return True

    async def _m_deleteMessage(self, params: dict[str, Any]) -> Any:
        chat = self._chat(int(params["chat_id"]))
        message = chat.messages.get(int(params["message_id"]))
        if message is None or message.deleted:
            raise _ApiError(400, "Bad Request: message to delete not found")
        message.deleted = True
        return True

    async def _m_setMyCommands(self, params: dict[str, Any]) -> Any:
        for command in params.get("commands") or []:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        code = params.get("language_code")
        if code and not re.fullmatch(r"[a-z]{2}", code):
            raise _ApiError(400, "Bad Request: invalid language code specified")
        return True

    async def _m_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token"),
                        "allowed_updates": params.get("allowed_updates")}
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": 0}

    async def _m_getFile(self, params: dict[str, Any]) -> Any:
        file_id = params["file_id"]
        if file_id not in self.files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]),
                "file_path": f"photos/{file_id}"}

    def _check_text(self, params: dict[str, Any]) -> str:
        text = str(params.get("text", ""))
        if params.get("parse_mode") == "HTML":
            if self.reject_html > 0:
                self.reject_html -= 1
                raise _ApiError(400, "Bad Request: can't parse entities: unsupported start tag")
            try:
                text = parse_telegram_html(text)
            except TelegramHtmlError as error:
                raise _ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        elif params.get("parse_mode"):
            raise _ApiError(400, "Bad Request: unsupported parse_mode")
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if utf16_units(text) > MAX_TEXT_UNITS:
            raise _ApiError(400, "Bad Request: message is too long")
        return text

    @staticmethod
    def _check_markup(markup: Any) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise _ApiError(400, "Bad Request: text buttons are unallowed")


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def _error(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description},
                             status=code)


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.post()
    params: dict[str, Any] = {}
    for name, value in form.items():
        if not isinstance(value, str):
            continue  # an uploaded file: not used by this bot
        params[name] = json.loads(value) if name in _JSON_FIELDS else value
    params.update({k: v for k, v in request.query.items() if k not in params})
    return params
