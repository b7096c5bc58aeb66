"""Set-up steps the run command takes by itself: compile catalogs, train when changed."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_NAME = "assistant"
TRAINING_DATA = ("data/nlu", "data/rules", "data/stories")
MODEL_INPUTS = ("config.yml", "domain", *TRAINING_DATA)


def compile_catalogs(locales: Path | None = None) -> list[Path]:
    """Compile every `locales/<lang>/LC_MESSAGES/*.po` into a `.mo` (fuzzy entries left out)."""
    written = []
    for po_path in sorted((locales or REPO_ROOT / "locales").glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def model_fingerprint(root: Path = REPO_ROOT) -> str:
    """A hash of everything the model is trained from (config, domain, training data)."""
    import rasa

    digest = hashlib.sha256(f"rasa {rasa.__version__}\n".encode())
    for name in MODEL_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def model_path(model_dir: Path | None = None) -> Path:
    """Where the trained model is kept."""
    return (model_dir or REPO_ROOT / "models") / f"{MODEL_NAME}.tar.gz"


def model_is_current(model_dir: Path | None = None) -> bool:
    """Tell whether the model exists and was trained from the current inputs."""
    model = model_path(model_dir)
    stamp = model.with_suffix("").with_suffix(".fingerprint")
    return model.is_file() and stamp.is_file() and stamp.read_text().strip() == model_fingerprint()


def train_model(report: Callable[[str], None], model_dir: Path | None = None) -> None:
    """Train the Rasa model, showing Rasa's progress, and stamp it with its fingerprint."""
    model = model_path(model_dir)
    fingerprint = model_fingerprint()
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable, "-m", "rasa", "train",
            "--config", "config.yml", "--domain", "domain",
            "--data", *TRAINING_DATA,
            "--out", str(model.parent), "--fixed-model-name", MODEL_NAME,
        ],
        cwd=REPO_ROOT,
        stdout=sys.stderr,
        env=_rasa_env(),
        check=False,
    )
    if result.returncode != 0 or not model.is_file():
        raise SystemExit(f"Training the model failed (exit code {result.returncode}); see above.")
    model.with_suffix("").with_suffix(".fingerprint").write_text(fingerprint + "\n")
    report(f"Model trained in {time.monotonic() - started:.0f} s: {model}")


def ensure_directory(report: Callable[[str], None]) -> None:
    """Import the seed help-centre directory into its database when there is none yet.

    An existing database is left alone: staff may have imported or re-verified entries
    since, and `python -m bot directory import` is how they update it.
    """
    from bot.directory.importer import import_directory
    from bot.directory.store import connect, default_db_path

    if default_db_path().is_file():
        return
    conn = connect()
    try:
        outcome = import_directory(conn, str(REPO_ROOT / "data" / "directory"), by="setup (seed data)")
    finally:
        conn.close()
    if outcome.problems:
        default_db_path().unlink(missing_ok=True)
        raise SystemExit(f"The seed directory has {len(outcome.problems)} problems: "
                         "run `python -m bot directory validate`.")
    report(f"Help-centre directory imported from data/directory into {default_db_path()}.")


def ensure_ready(report: Callable[[str], None], model_dir: Path | None = None) -> None:
    """Compile the catalogs, import the directory if missing, train the model if needed."""
    mos = compile_catalogs()
    report(f"Translation catalogs compiled: {len(mos)}.")
    ensure_directory(report)
    if model_is_current(model_dir):
        report("Model is up to date.")
        return
    report("Training the model (training data, domain or config changed)...")
    train_model(report, model_dir)


def _rasa_env() -> dict[str, str]:
    import os

    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


def main(argv: list[str]) -> int:
    """`python -m bot setup`: compile catalogs and train the model if needed."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bot setup",
        description="Compile the translation catalogs and train the model if its inputs changed.",
    )
    parser.add_argument("--force-train", action="store_true", help="train even if up to date")
    args = parser.parse_args(argv)

    def report(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if args.force_train:
        compile_catalogs()
        train_model(report)
    else:
        ensure_ready(report)
    return 0
