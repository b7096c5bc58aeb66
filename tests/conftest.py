"""Shared fixtures: the repository, a trained model, free ports on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody is listening on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """Make sure the catalogs are compiled and the model matches its training data."""
    from bot.setup_steps import ensure_ready, model_path

    ensure_ready(lambda text: print(text, file=sys.stderr))
    return model_path()


@pytest.fixture(scope="session")
def compiled_catalogs() -> None:
    """Compile the .po files the renderer reads."""
    from bot.setup_steps import compile_catalogs

    compile_catalogs()
