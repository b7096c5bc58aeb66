"""The Rasa project itself: data validates, test conversations pass, NLU per language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.setup_steps import TRAINING_DATA
from tests.conftest import REPO_ROOT

# Per-language macro-F1 the model must keep in cross-validation (see reports/nlu.md): every
# language reaches the 0.90 target; the gate sits a little below it so that a regression fails.
MIN_MACRO_F1 = float(os.environ.get("NLU_MIN_MACRO_F1", "0.88"))
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def _rasa(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rasa", *args], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=900)


def test_rasa_data_validate_is_clean() -> None:
    result = _rasa("data", "validate", "--domain", "domain", "--config", "config.yml",
                   "--fail-on-warnings", "--data", *TRAINING_DATA)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_test_conversation_passes(trained_model: Path, tmp_path: Path) -> None:
    result = _rasa("test", "core", "--model", str(trained_model), "--stories", "tests/stories",
                   "--fail-on-prediction-errors", "--out", str(tmp_path))
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.is_file() else result.stdout[-3000:]
    assert result.returncode == 0, details
    assert "None of the test stories failed" in failed.read_text()


def test_credentials_enable_only_the_rest_channel() -> None:
    import yaml

    credentials = yaml.safe_load((REPO_ROOT / "credentials.yml").read_text())
    assert list(credentials) == ["rest"]


def test_nlu_cross_validation_per_language(tmp_path: Path) -> None:
    out = REPO_ROOT / "results" / "nlu.md"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "nlu-report", "--out", str(out), "--min-f1", "0"],
        cwd=REPO_ROOT, env=ENV, capture_output=True, text=True, timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.with_suffix(".json").read_text())
    languages = [lang for lang in report if lang != "all"]
    assert {"en", "ar", "fr"} <= set(languages)
    print(out.read_text())
    for lang in languages:
        assert report[lang]["macro_f1"] >= MIN_MACRO_F1, (lang, report[lang]["macro_f1"])
