"""A chat in the terminal: try the assistant at once, or script it through a pipe.

Interactive: a greeting, numbered buttons, a prompt. Piped: every input line is
answered, and the chat ends cleanly at the end of input.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import TextIO

from bot.assistant import COMMANDS, Assistant, User
from bot.render import Reply


def _line_reader(stdin: TextIO) -> asyncio.Queue[str]:
    """Read input lines in a daemon thread, so a blocked read never keeps the process alive."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def pump() -> None:
        while True:
            line = stdin.readline()
            loop.call_soon_threadsafe(lines.put_nowait, line)
            if not line:
                return

    threading.Thread(target=pump, name="stdin", daemon=True).start()
    return lines


def format_reply(reply: Reply, first_number: int = 1) -> str:
    """A reply as terminal text, its buttons numbered."""
    lines = [reply.text]
    for number, button in enumerate(reply.buttons, start=first_number):
        lines.append(f"  {number}) {button.label}")
    return "\n".join(lines)


async def run_terminal_chat(
    assistant: Assistant,
    user: User,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    interactive: bool | None = None,
) -> int:
    """Chat until the end of input (or /exit); return the exit code."""
    if interactive is None:
        interactive = stdin.isatty()
    lines = _line_reader(stdin)
    buttons: list[str] = []

    def show(replies: list[Reply]) -> None:
        nonlocal buttons
        buttons = []
        for reply in replies:
            print(format_reply(reply, first_number=len(buttons) + 1), file=stdout)
            buttons.extend(button.key for button in reply.buttons)
            print(file=stdout)
        if interactive and buttons:
            hint = assistant.renderer.text(assistant.language_of(user), "terminal_choose")
            print(hint, file=stdout)
        stdout.flush()

    if interactive:
        show(await assistant.handle_command(user, "start"))
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await lines.get()
        if not line:
            return 0
        text = line.strip()
        if not text:
            continue
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            show(await assistant.handle_button(user, buttons[int(text) - 1]))
        elif text.startswith("/") and text[1:].split()[0:1] and text[1:].split()[0] in COMMANDS:
            command = text[1:].split()[0]
            if command == "exit":
                return 0
            show(await assistant.handle_command(user, command))
        else:
            show(await assistant.handle_text(user, text))
