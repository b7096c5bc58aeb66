"""`python -m bot run`: the whole assistant, supervised, with a terminal or Telegram front end."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import socket
import sys
import time

from bot.assistant import Assistant, User
from bot.prefs import PrefsStore
from bot.privacy import ephemeral_secret, user_key
from bot.processes import ProcessFailed, Supervisor, action_service, rasa_service
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.setup_steps import MODEL_NAME, ensure_ready

log = logging.getLogger(__name__)


def report(text: str) -> None:
    """Tell the operator something (stderr: stdout belongs to the chat)."""
    print(text, file=sys.stderr, flush=True)


def port_is_free(port: int) -> bool:
    """Tell whether a TCP port on 127.0.0.1 can be bound."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


async def serve(settings: Settings, verbose: bool = False) -> int:
    """Start Rasa and the action server, then the front end; return the exit code."""
    for name, port in (("RASA_PORT", settings.rasa_port),
                       ("ACTION_SERVER_PORT", settings.action_server_port)):
        if not port_is_free(port):
            report(f"Port {port} on 127.0.0.1 is already in use: set {name} to a free port.")
            return 2
    token = secrets.token_hex(24)
    python = sys.executable
    model = settings.model_dir / f"{MODEL_NAME}.tar.gz"
    services = [
        action_service(python, settings.action_server_port),
        rasa_service(python, settings.rasa_port, settings.action_server_port, token, model,
                     settings.retention_hours),
    ]
    for service in services:
        service.echo = verbose
    supervisor = Supervisor(services, report, max_restarts=settings.max_restarts)
    started = time.monotonic()
    report("Starting the assistant (Rasa server, action server)...")
    # Town names take ~2 s to index: do it now, beside the servers' start, rather than on
    # the first person's message.
    warm = asyncio.get_running_loop().run_in_executor(None, warm_up_front_end)
    try:
        await supervisor.start_all()
        await warm
    except ProcessFailed as failure:
        report(f"The assistant could not start. {failure}")
        await supervisor.stop_all()
        return 1
    report(f"Ready in {time.monotonic() - started:.1f} s.")

    rasa = RasaClient(f"http://127.0.0.1:{settings.rasa_port}", token,
                      timeout=settings.reply_timeout_seconds)
    front_end = asyncio.ensure_future(_front_end(settings, rasa))
    watcher = asyncio.ensure_future(supervisor.watch())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    stopper = asyncio.ensure_future(stop.wait())
    code = 0
    try:
        done, _ = await asyncio.wait({front_end, watcher, stopper},
                                     return_when=asyncio.FIRST_COMPLETED)
        if watcher in done:
            failure = watcher.exception()
            report(f"The assistant is stopping: {failure}")
            code = 1
        elif front_end in done:
            code = front_end.result() if front_end.exception() is None else 1
            if front_end.exception() is not None:
                report(f"The front end stopped: {type(front_end.exception()).__name__}")
    finally:
        for task in (front_end, watcher, stopper):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        await rasa.aclose()
        await supervisor.stop_all()
    return code


def warm_up_front_end() -> None:
    """Index town names and load the job-offer rules before the first message needs them."""
    from bot.directory.gazetteer import load_gazetteer
    from bot.offer_reply import offer_rules

    load_gazetteer()
    offer_rules()


async def _front_end(settings: Settings, rasa: RasaClient) -> int:
    if settings.telegram_token:
        from bot.telegram_app import run_telegram

        return await run_telegram(settings, rasa)
    from bot.terminal_chat import run_terminal_chat

    prefs = PrefsStore(":memory:", settings.retention_hours)
    assistant = Assistant(rasa, prefs, default_language=settings.default_language,
                          retention_hours=settings.retention_hours)
    user = User(key=user_key("terminal", "local", ephemeral_secret()))
    return await run_terminal_chat(assistant, user)


def main(argv: list[str]) -> int:
    """Run the assistant (sets itself up first if needed)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bot run",
        description="Start the assistant: a chat in this terminal, or the Telegram bot "
        "when TELEGRAM_BOT_TOKEN is set.",
    )
    parser.add_argument("--verbose", action="store_true",
                        help="show the output of the Rasa and action servers")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    quiet_noisy_loggers()
    ensure_ready(report)
    return asyncio.run(serve(settings, verbose=args.verbose))


def quiet_noisy_loggers() -> None:
    """httpx logs whole URLs (with the bot token) at INFO; PTB logs updates at DEBUG."""
    for name in ("httpx", "httpcore", "telegram", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)
