"""Start the Rasa server and the action server on 127.0.0.1 and watch over them.

If a process dies, the operator is told which one and why (exit code and its last
lines of output), and it is restarted; after too many deaths in a short time the
whole assistant stops with a non-zero exit code, never left half-alive. Child
processes also die with their parent (PR_SET_PDEATHSIG), so none is orphaned.
"""

from __future__ import annotations

import asyncio
import collections
import ctypes
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_RESTARTS = 3
RESTART_WINDOW_SECONDS = 600.0


class ProcessFailed(RuntimeError):
    """A supervised process could not be started or kept running."""


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Service:
    """One supervised process."""

    name: str
    argv: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    process: asyncio.subprocess.Process | None = None
    tail: collections.deque[str] = field(default_factory=lambda: collections.deque(maxlen=30))
    deaths: list[float] = field(default_factory=list)
    echo: bool = False

    async def start(self) -> None:
        """Start the process, capturing its output."""
        self.process = await asyncio.create_subprocess_exec(
            *self.argv,
            cwd=REPO_ROOT,
            env={**os.environ, **self.env},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            preexec_fn=_die_with_parent,
            start_new_session=True,
        )
        asyncio.get_running_loop().create_task(self._read_output())

    async def _read_output(self) -> None:
        assert self.process and self.process.stdout
        stream = self.process.stdout
        while line := await stream.readline():
            text = line.decode("utf-8", "replace").rstrip()
            self.tail.append(text)
            if self.echo:
                print(f"[{self.name}] {text}", file=sys.stderr)

    async def wait_healthy(self, timeout: float) -> None:
        """Wait until the process answers its health URL, or fail with the reason."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2.0) as http:
            while time.monotonic() < deadline:
                if self.process is None or self.process.returncode is not None:
                    raise ProcessFailed(self.describe_death())
                try:
                    if (await http.get(self.health_url)).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.5)
        raise ProcessFailed(f"{self.name} did not become ready within {timeout:.0f} s")

    def describe_death(self) -> str:
        """Which process died and why, for the operator."""
        code = self.process.returncode if self.process else None
        why = f"exit code {code}" if code is None or code >= 0 else f"killed by signal {-code}"
        lines = "\n".join(f"    {line}" for line in list(self.tail)[-12:])
        return f"{self.name} stopped ({why}). Its last output:\n{lines or '    (none)'}"

    async def stop(self, grace: float = 10.0) -> None:
        """Stop the process: SIGTERM, then SIGKILL after `grace` seconds."""
        proc = self.process
        if proc is None or proc.returncode is not None:
            return
        proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), grace)
        except asyncio.TimeoutError:
            proc.kill()
            await proc.wait()


def rasa_service(python: str, port: int, action_port: int, token: str, model: Path,
                 retention_hours: float) -> Service:
    """The Rasa server: REST channel and token-protected API, on loopback only."""
    return Service(
        name="Rasa server",
        argv=[
            python, "-m", "rasa", "run",
            "--interface", "127.0.0.1", "--port", str(port),
            "--model", str(model),
            "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
            # `=` form: a token starting with "-" must not be read as an option.
            "--enable-api", f"--auth-token={token}",
        ],
        health_url=f"http://127.0.0.1:{port}/status?token={token}",
        env={
            "ACTION_SERVER_PORT": str(action_port),
            "RETENTION_HOURS": str(retention_hours),
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "LOG_LEVEL": "WARNING",
        },
    )


def action_service(python: str, port: int) -> Service:
    """The action server (rasa-sdk), bound to 127.0.0.1 through SANIC_HOST."""
    return Service(
        name="Action server",
        argv=[python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        health_url=f"http://127.0.0.1:{port}/health",
        env={"SANIC_HOST": "127.0.0.1"},
    )


class Supervisor:
    """Keep a set of services running; give up cleanly when they keep dying."""

    def __init__(
        self,
        services: list[Service],
        report: Callable[[str], None],
        max_restarts: int = MAX_RESTARTS,
    ) -> None:
        """Watch these services; `report` tells the operator what happens."""
        self.services = services
        self.report = report
        self.max_restarts = max_restarts

    async def start_all(self, timeout: float = 120.0) -> None:
        """Start every service and wait until all are ready."""
        for service in self.services:
            await service.start()
        await asyncio.gather(*(s.wait_healthy(timeout) for s in self.services))

    async def watch(self) -> None:
        """Restart services that die; raise ProcessFailed when one dies too often."""
        while True:
            waits = {asyncio.ensure_future(s.process.wait()): s for s in self.services if s.process}
            done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            for task in done:
                service = waits[task]
                await asyncio.sleep(0.2)  # let the last output lines arrive
                self.report(service.describe_death())
                now = time.monotonic()
                service.deaths = [t for t in service.deaths if now - t < RESTART_WINDOW_SECONDS]
                service.deaths.append(now)
                if len(service.deaths) > self.max_restarts:
                    raise ProcessFailed(
                        f"{service.name} stopped {len(service.deaths)} times in "
                        f"{RESTART_WINDOW_SECONDS / 60:.0f} minutes: giving up"
                    )
                self.report(f"Restarting {service.name}...")
                await service.start()
                await service.wait_healthy(120.0)
                self.report(f"{service.name} is back.")

    async def stop_all(self) -> None:
        """Stop every service."""
        await asyncio.gather(*(s.stop() for s in self.services), return_exceptions=True)
