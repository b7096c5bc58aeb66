"""`python -m bot bench-telegram`: latency and throughput of the whole Telegram path.

A benchmark, not a test. It starts the real stack (Rasa server, action server), the
local Bot API stand-in (tests/bot_api_standin.py) and the real python-telegram-bot
application polling it, then --users simulated users send --updates messages in all
through getUpdates. Each user sends, waits for the answer, pauses --think seconds
(2.1 s by default, inside the per-user limit of 5 messages per 10 s), and sends again.

Measured per message: from the update being queued at the stand-in to the first
sendMessage of the answer arriving there (p50/p95/p99), and answered messages per
second. With --no-limits the per-user limit and the outgoing rate limiter (30 msg/s,
Telegram's ceiling) are off, to see what the pipeline itself can do. Bounded by
--max-seconds; all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.bench import bench_messages, percentile
from bot.processes import Supervisor, action_service, rasa_service
from bot.rasa_client import RasaClient
from bot.settings import REPO_ROOT, Settings
from bot.setup_steps import ensure_ready, model_path
from bot.telegram_app import build_application, serve
from bot.telegram_limits import UserRateLimit

BENCH_TOKEN = "4242424242:BENCH-stand-in-token"  # noqa: S105 - for the local stand-in only
REPLY_TIMEOUT_SECONDS = 15.0


def _standin() -> Any:
    """The stand-in class from tests/ (the benchmark runs from a checkout)."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tests.bot_api_standin import BotApiStandin

    return BotApiStandin


async def run_bench(updates: int, users: int, think: float, max_seconds: float, limits: bool,
                    ports: tuple[int, int]) -> dict[str, Any]:
    """Start everything, drive the simulated users, stop everything; return the figures."""
    from tests.bot_api_standin import FakeUser  # after _standin() put the checkout on the path

    rasa_port, action_port = ports
    api_token = secrets.token_urlsafe(16)
    services = [action_service(sys.executable, action_port),
                rasa_service(sys.executable, rasa_port, action_port, api_token, model_path(), 24)]
    supervisor = Supervisor(services, lambda text: print(text, file=sys.stderr), max_restarts=0)
    await supervisor.start_all()
    texts = bench_messages()
    results: dict[str, Any] = {"users": users, "think_s": think, "limits": limits}
    try:
        async with _standin()(BENCH_TOKEN) as api, _state_dir() as state_dir:
            settings = Settings(telegram_token=BENCH_TOKEN, telegram_api_base_url=api.base_url,
                                user_id_hash_key=secrets.token_urlsafe(16), state_dir=state_dir,
                                rasa_port=rasa_port)
            rasa = RasaClient(f"http://127.0.0.1:{rasa_port}", api_token, timeout=3.0)
            application = build_application(
                settings, rasa, send_rate_limit=limits,
                limits=None if limits else UserRateLimit(burst=10**6, per_seconds=1.0))
            bot = asyncio.ensure_future(serve(application, settings))
            await api.wait_until(lambda: application.running or bot.done(), 60)
            latencies: list[float] = []
            outcome = {"answered": 0, "degraded": 0, "slow_down": 0, "timeouts": 0}
            deadline = time.monotonic() + max_seconds
            budget = [updates]

            async def one_user(number: int, rng: random.Random) -> None:
                user = FakeUser(10_000 + number, "en")
                await asyncio.sleep(rng.uniform(0, think))  # users arrive spread out, not at once
                while budget[0] > 0 and time.monotonic() < deadline:
                    budget[0] -= 1
                    before = len(api.sent(user.id))
                    update_id, _ = api.user_message(user, rng.choice(texts))
                    try:
                        await api.wait_until(lambda count=before: len(api.sent(user.id)) > count,
                                             REPLY_TIMEOUT_SECONDS)
                    except AssertionError:
                        outcome["timeouts"] += 1
                        continue
                    reply = api.sent(user.id)[before]
                    latencies.append((reply.at - api.queued_at[update_id]) * 1000)
                    text = reply.result["text"]
                    kind = ("degraded" if "cannot answer everything" in text
                            else "slow_down" if "very fast" in text else "answered")
                    outcome[kind] += 1
                    await asyncio.sleep(think * rng.uniform(0.9, 1.1))

            # Warm-up (not counted): Rasa's first answers are slow.
            warm = FakeUser(9_999, "en")
            for text in texts[:3]:
                api.user_message(warm, text)
            await api.wait_for_messages(warm.id, 3, 60)

            started = time.monotonic()
            rngs = [random.Random(n) for n in range(users)]  # noqa: S311 - seeded bench texts
            await asyncio.gather(*(one_user(n, rngs[n]) for n in range(users)))
            elapsed = time.monotonic() - started
            application.bot_data["stop"].set()
            await asyncio.wait_for(bot, 30)
            await rasa.aclose()
        results.update(outcome)
        results.update({
            "sent": len(latencies) + outcome["timeouts"], "elapsed_s": round(elapsed, 1),
            "answers_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
            "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 99), 1) if latencies else None,
            "max_ms": round(max(latencies), 1) if latencies else None,
        })
    finally:
        await supervisor.stop_all()
    return results


class _state_dir:  # noqa: N801 - used as a context manager like tempfile's
    """A throw-away state folder (the bench's prefs and message ids)."""

    async def __aenter__(self) -> Path:
        self._tmp = tempfile.TemporaryDirectory(prefix="bench-telegram-")
        return Path(self._tmp.name)

    async def __aexit__(self, *exc: object) -> None:
        self._tmp.cleanup()


def report(results: dict[str, Any]) -> str:
    """The figures as a few lines of text."""
    limits = "per-user limit and 30 msg/s outgoing limiter on" if results["limits"] else "no limits"
    return "\n".join([
        f"{results['sent']} updates from {results['users']} users, {results['think_s']} s pause "
        f"between a user's messages ({limits}), in {results['elapsed_s']} s:",
        f"  update queued -> first sendMessage: p50 {results['p50_ms']} ms  p95 {results['p95_ms']} ms"
        f"  p99 {results['p99_ms']} ms  max {results['max_ms']} ms",
        f"  {results['answers_per_s']} answers/s; answered {results['answered']}, degraded "
        f"{results['degraded']}, slow down {results['slow_down']}, no answer {results['timeouts']}",
    ])


def main_bench(argv: list[str]) -> int:
    """Run the Telegram benchmark and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bot bench-telegram",
                                     description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=600, help="messages to send in all")
    parser.add_argument("--users", type=int, default=60, help="simulated users at once")
    parser.add_argument("--think", type=float, default=2.1,
                        help="seconds a user pauses after each answer")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="stop sending after this")
    parser.add_argument("--no-limits", action="store_true",
                        help="turn off the per-user limit and the outgoing rate limiter")
    parser.add_argument("--rasa-port", type=int, default=5205)
    parser.add_argument("--action-port", type=int, default=5206)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.updates < 1 or args.users < 1 or args.max_seconds <= 0:
        parser.error("--updates, --users and --max-seconds must be positive")
    ensure_ready(lambda text: print(text, file=sys.stderr))
    _standin()
    results = asyncio.run(run_bench(args.updates, args.users, args.think, args.max_seconds,
                                    not args.no_limits, (args.rasa_port, args.action_port)))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main_bench(sys.argv[1:]))
