"""End to end: `python -m bot run` starts the real Rasa server, action server and front end.

The terminal chat goes through the same path as every channel: the front end's
Assistant, Rasa's REST channel on 127.0.0.1, the action server, the catalogs.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, free_port

pytestmark = pytest.mark.stack


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    env.update(RASA_PORT=str(free_port()), ACTION_SERVER_PORT=str(free_port()),
               RASA_TELEMETRY_ENABLED="false", **extra)
    return env


def test_piped_terminal_chat_answers_every_line_then_exits(trained_model: Path) -> None:
    lines = ["hello", "I need a lawyer", "مرحبا", "/restart", "they took my passport, help me",
             "where can i find a shelter", "Calais"]
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], input="\n".join(lines) + "\n", text=True,
        capture_output=True, cwd=REPO_ROOT, env=_env(), timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "Hello. I am a free and confidential helper" in out
    assert "Free legal advice on asylum and immigration" in out
    assert "مرحبًا" in out or "مرحبا" in out  # the Arabic greeting from the ar catalog
    assert "08000 121 700" in out and "999" in out  # the action server answered
    assert "Utopia 56" in out  # asked where, answered with a town: help centres there
    assert "Ready in" in result.stderr and "Ready" not in out  # stdout is only the chat
    assert time.monotonic() - started < 120


def _reader(stream, sink: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        sink.put(line)


def _wait_for(sink: queue.Queue, needle: str, seen: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(needle in line for line in seen):
            return
        try:
            seen.append(sink.get(timeout=0.5))
        except queue.Empty:
            pass
    raise AssertionError(f"never saw {needle!r}; got:\n{''.join(seen[-40:])}")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _start(env: dict[str, str]) -> tuple[subprocess.Popen, queue.Queue, queue.Queue]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=REPO_ROOT, env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    out, err = queue.Queue(), queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, out), daemon=True).start()
    threading.Thread(target=_reader, args=(proc.stderr, err), daemon=True).start()
    return proc, out, err


def test_a_killed_action_server_is_reported_and_restarted(trained_model: Path) -> None:
    proc, out, err = _start(_env())
    errors: list[str] = []
    try:
        _wait_for(err, "Ready in", errors, 120)
        action = next(p for p in _children(proc.pid) if "rasa_sdk" in _cmdline(p))
        os.kill(action, signal.SIGKILL)
        _wait_for(err, "Action server stopped (killed by signal 9)", errors, 30)
        _wait_for(err, "Action server is back", errors, 60)
        proc.stdin.write("help, I am in danger\n")
        proc.stdin.flush()
        _wait_for(out, "08000 121 700", [], 30)
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()


def test_the_assistant_stops_whole_when_a_process_keeps_dying(trained_model: Path) -> None:
    proc, _, err = _start(_env(SUPERVISOR_MAX_RESTARTS="0"))
    errors: list[str] = []
    try:
        _wait_for(err, "Ready in", errors, 120)
        children = _children(proc.pid)
        rasa = next(p for p in children if " rasa run" in _cmdline(p))
        os.kill(rasa, signal.SIGKILL)
        assert proc.wait(timeout=60) == 1
        _wait_for(err, "Rasa server stopped (killed by signal 9)", errors, 5)
        _wait_for(err, "giving up", errors, 5)
        time.sleep(1)
        assert not any(Path(f"/proc/{child}").exists() and "zombie" not in
                       Path(f"/proc/{child}/status").read_text().lower() for child in children)
    finally:
        proc.kill()
