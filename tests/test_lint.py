"""The code stays clean: ruff (pyflakes, pycodestyle, bugbear, security rules), no unsafe YAML."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "bot", "actions", "tests"],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_yaml_is_only_ever_safe_loaded() -> None:
    offenders = []
    for path in [*REPO_ROOT.glob("bot/**/*.py"), *REPO_ROOT.glob("actions/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        if "yaml.load(" in text or "yaml.unsafe_load" in text or "Loader=yaml.Loader" in text:
            offenders.append(str(path.relative_to(REPO_ROOT)))
    assert not offenders
