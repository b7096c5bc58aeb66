"""`python -m bot bench`: latency, throughput, memory and cold start of the running stack.

A benchmark, not a test. It starts the real stack (Rasa server, action server) and
drives our front end's path (the Assistant: language detection, Rasa over REST on
127.0.0.1, rendering from the catalogs) with simulated users over loopback:

1. open loop at --rate messages/s offered (default 30, Telegram's per-bot ceiling)
   for --seconds, many users, one message at a time per user: latency p50/p95/p99;
2. closed loop with --concurrency users sending as fast as answers come: the
   sustained messages/s ceiling;
3. the same two against a bare `rasa run` REST endpoint on the same model, so our
   overhead is a ratio;
4. peak RSS of each process, and cold start (process start to ready).
Bounded in time and count; all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import yaml

from bot.assistant import Assistant, User
from bot.prefs import PrefsStore
from bot.processes import Service, Supervisor, action_service, rasa_service
from bot.rasa_client import RasaClient
from bot.run import warm_up_front_end
from bot.setup_steps import REPO_ROOT, ensure_ready, model_path

SendOne = Callable[[str, str], Awaitable[None]]
MESSAGES_PER_SESSION = 15  # a simulated user's conversation length before a new one starts


def bench_messages() -> list[str]:
    """User messages from the test conversations (every main journey, en/ar/fr)."""
    stories = yaml.safe_load((REPO_ROOT / "tests/stories/test_journeys.yml").read_text("utf-8"))
    texts = []
    for story in stories["stories"]:
        for step in story["steps"]:
            if "user" in step:
                texts.append(step["user"].strip())
    return texts


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakRss:
    """Sample the RSS of some processes while a benchmark runs."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.peak = {name: 0.0 for name in pids}
        self._task: asyncio.Task | None = None

    async def _sample(self) -> None:
        while True:
            for name, pid in self.pids.items():
                try:
                    self.peak[name] = max(self.peak[name], rss_mb(pid))
                except OSError:
                    pass
            await asyncio.sleep(0.2)

    def __enter__(self) -> PeakRss:
        self._task = asyncio.ensure_future(self._sample())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task:
            self._task.cancel()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


class Users:
    """Simulated users: each sends one message at a time, and starts a new session
    after MESSAGES_PER_SESSION messages."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.sent: dict[int, int] = {}
        self.busy: set[int] = set()
        self.next_id = 0

    def take(self) -> tuple[int, str]:
        for uid, count in self.sent.items():
            if uid not in self.busy and count < MESSAGES_PER_SESSION:
                break
        else:
            uid = self.next_id
            self.next_id += 1
            self.sent[uid] = 0
        self.busy.add(uid)
        self.sent[uid] += 1
        return uid, f"{self.prefix}-{uid}"

    def release(self, uid: int) -> None:
        self.busy.discard(uid)


async def warm_up(send: SendOne, texts: list[str]) -> None:
    """Send every text once, in order, so one-time loads are not measured."""
    for number, text in enumerate(texts):
        await send(f"warm-{number}", text)


async def open_loop(send: SendOne, texts: list[str], rate: float, seconds: float,
                    prefix: str) -> dict[str, float]:
    """Offer `rate` messages/s for `seconds`; return latency percentiles and errors."""
    users = Users(prefix)
    latencies: list[float] = []
    errors = 0
    rng = random.Random(1)

    async def one() -> None:
        nonlocal errors
        uid, sender = users.take()
        started = time.perf_counter()
        try:
            await send(sender, rng.choice(texts))
            latencies.append((time.perf_counter() - started) * 1000)
        except Exception:  # noqa: BLE001 - counted, reported
            errors += 1
        finally:
            users.release(uid)

    tasks = []
    start = time.perf_counter()
    total = int(rate * seconds)
    for n in range(total):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one()))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    return {
        "offered_per_s": rate, "sent": total, "errors": errors,
        "achieved_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
    }


async def closed_loop(send: SendOne, texts: list[str], concurrency: int, seconds: float,
                      prefix: str) -> dict[str, float]:
    """`concurrency` users send as fast as answers come, for `seconds`: messages/s."""
    users = Users(prefix)
    done = 0
    errors = 0
    deadline = time.perf_counter() + seconds
    rng = random.Random(2)

    async def worker() -> None:
        nonlocal done, errors
        while time.perf_counter() < deadline:
            uid, sender = users.take()
            try:
                await send(sender, rng.choice(texts))
                done += 1
            except Exception:  # noqa: BLE001 - counted, reported
                errors += 1
            finally:
                users.release(uid)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {"concurrency": concurrency, "messages_per_s": done / (time.perf_counter() - start),
            "errors": errors}


async def run_bench(rate: float, seconds: float, concurrency: int, port_base: int) -> dict:
    """Start the stack, measure it, measure bare Rasa, stop everything."""
    python = sys.executable
    model = model_path()
    token = "bench-" + str(random.randrange(10**9))
    results: dict = {}
    services = [action_service(python, port_base + 1),
                rasa_service(python, port_base, port_base + 1, token, model, 24)]
    supervisor = Supervisor(services, lambda text: print(text, file=sys.stderr), max_restarts=0)
    started = time.monotonic()
    await supervisor.start_all()
    results["cold_start_s"] = round(time.monotonic() - started, 1)
    texts = bench_messages()
    try:
        rasa = RasaClient(f"http://127.0.0.1:{port_base}", token, timeout=10.0)
        assistant = Assistant(rasa, PrefsStore(":memory:"))
        warm_up_front_end()  # as `python -m bot run` does while the servers start

        async def ours(sender: str, text: str) -> None:
            replies = await assistant.handle_text(User(sender), text)
            if not replies or "cannot answer everything" in replies[0].text:
                raise RuntimeError("degraded answer")

        pids = {"rasa": services[1].process.pid, "actions": services[0].process.pid,
                "front end (this process)": _own_pid()}
        with PeakRss(pids) as peak:
            await warm_up(ours, texts)  # one-time loads (gazetteer, content): not reported
            results["ours_open"] = await open_loop(ours, texts, rate, seconds, "o")
            results["ours_closed"] = await closed_loop(ours, texts, concurrency, seconds, "c")
        results["peak_rss_mb"] = {name: round(value) for name, value in peak.peak.items()}
        await rasa.aclose()
        await services[1].stop()  # our Rasa; the action server stays for bare Rasa
        results["bare"] = await _bare_rasa(python, model, port_base, texts, rate, seconds, concurrency)
    finally:
        await supervisor.stop_all()
    results.update(results.pop("bare"))
    return results


async def _bare_rasa(python: str, model: Path, port_base: int, texts: list[str], rate: float,
                     seconds: float, concurrency: int) -> dict:
    """A plain `rasa run` on the same model and the same action server: no front end,
    Rasa's default in-memory tracker store."""
    results: dict = {}

    endpoints = Path(tempfile.mkdtemp()) / "endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:{port_base + 1}/webhook\n")
    bare = Service(
        name="bare Rasa",
        argv=[python, "-m", "rasa", "run", "--interface", "127.0.0.1", "--port",
              str(port_base + 2), "--model", str(model), "--endpoints", str(endpoints)],
        health_url=f"http://127.0.0.1:{port_base + 2}/",
        # The same environment as ours (log level included), so only the front end differs.
        env=rasa_service(python, port_base + 2, port_base + 1, "unused", model, 24).env,
    )
    bare_supervisor = Supervisor([bare], lambda text: print(text, file=sys.stderr), max_restarts=0)
    started = time.monotonic()
    await bare_supervisor.start_all()
    results["bare_cold_start_s"] = round(time.monotonic() - started, 1)
    try:
        async with httpx.AsyncClient(timeout=10.0, limits=httpx.Limits(max_connections=200)) as http:

            async def bare_send(sender: str, text: str) -> None:
                response = await http.post(
                    f"http://127.0.0.1:{port_base + 2}/webhooks/rest/webhook",
                    json={"sender": sender, "message": text},
                )
                response.raise_for_status()

            with PeakRss({"bare rasa": bare.process.pid}) as peak:
                await warm_up(bare_send, texts)
                results["bare_open"] = await open_loop(bare_send, texts, rate, seconds, "o")
                results["bare_closed"] = await closed_loop(bare_send, texts, concurrency, seconds, "c")
            results["bare_peak_rss_mb"] = round(peak.peak["bare rasa"])
    finally:
        await bare_supervisor.stop_all()
    return results


def _own_pid() -> int:
    import os

    return os.getpid()


def report(results: dict) -> str:
    """The figures as a short text table."""
    ours, bare = results["ours_open"], results["bare_open"]
    rss = results["peak_rss_mb"]
    lines = [
        f"cold start (process start to ready): {results['cold_start_s']} s "
        f"(bare Rasa: {results['bare_cold_start_s']} s)",
        f"open loop, {ours['offered_per_s']:.0f} msg/s offered, {ours['sent']} messages:",
        f"  ours:      p50 {ours['p50_ms']:.1f} ms  p95 {ours['p95_ms']:.1f} ms  "
        f"p99 {ours['p99_ms']:.1f} ms  errors {ours['errors']}",
        f"  bare Rasa: p50 {bare['p50_ms']:.1f} ms  p95 {bare['p95_ms']:.1f} ms  "
        f"p99 {bare['p99_ms']:.1f} ms  errors {bare['errors']}",
        f"  ratio ours/bare: p50 {ours['p50_ms'] / bare['p50_ms']:.2f}x  "
        f"p95 {ours['p95_ms'] / bare['p95_ms']:.2f}x",
        f"sustained (closed loop, {results['ours_closed']['concurrency']} users): "
        f"ours {results['ours_closed']['messages_per_s']:.0f} msg/s, "
        f"bare Rasa {results['bare_closed']['messages_per_s']:.0f} msg/s",
        "peak RSS: " + ", ".join(f"{name} {mb} MB" for name, mb in rss.items())
        + f"; total {sum(rss.values())} MB (bare Rasa alone {results['bare_peak_rss_mb']} MB)",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bot bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=30.0, help="messages/s offered (open loop)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--concurrency", type=int, default=16, help="users in the closed loop")
    parser.add_argument("--port-base", type=int, default=5105, help="first of 3 loopback ports")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    ensure_ready(lambda text: print(text, file=sys.stderr))
    results = asyncio.run(run_bench(args.rate, args.seconds, args.concurrency, args.port_base))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
