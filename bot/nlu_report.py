"""`python -m bot nlu-report`: how well the one model understands each language.

Runs Rasa's own stratified cross-validation over every language's training data
together (the model is multilingual), then splits Rasa's per-example predictions
by the language file each example came from (data/nlu/<lang>.yml), and writes
accuracy and macro-F1 per language, with per-intent F1, to a Markdown and a JSON
report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = REPO_ROOT / "data" / "nlu"


def examples_by_language(nlu_dir: Path = NLU_DIR) -> dict[str, dict[str, str]]:
    """{lang: {example text: intent}} from data/nlu/<lang>.yml."""
    languages: dict[str, dict[str, str]] = {}
    for path in sorted(nlu_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        examples = languages.setdefault(path.stem, {})
        for block in data.get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                text = line.strip()
                if text.startswith("- "):
                    examples[text[2:].strip()] = block["intent"]
    return languages


def scores(pairs: list[tuple[str, str]]) -> dict[str, object]:
    """Accuracy, macro-F1 and per-intent F1 of (true, predicted) pairs."""
    intents = sorted({true for true, _ in pairs})
    per_intent = {}
    for intent in intents:
        tp = sum(1 for t, p in pairs if t == intent and p == intent)
        fp = sum(1 for t, p in pairs if t != intent and p == intent)
        fn = sum(1 for t, p in pairs if t == intent and p != intent)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per_intent[intent] = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {
        "examples": len(pairs),
        "accuracy": sum(t == p for t, p in pairs) / len(pairs) if pairs else 0.0,
        "macro_f1": sum(per_intent.values()) / len(per_intent) if per_intent else 0.0,
        "per_intent_f1": per_intent,
    }


def cross_validate(folds: int, workdir: Path, config: Path) -> list[dict]:
    """Run `rasa test nlu --cross-validation`; return every test-fold prediction."""
    # Rasa shuffles the folds with numpy's global generator: seed it, so the report is
    # reproducible.
    seeded_rasa = (
        "import sys, numpy; numpy.random.seed(0); from rasa.__main__ import main; "
        "sys.argv = ['rasa', *sys.argv[1:]]; main()"
    )
    command = [
        sys.executable, "-c", seeded_rasa, "test", "nlu",
        "--nlu", str(NLU_DIR), "--config", str(config),
        "--cross-validation", "--folds", str(folds),
        "--out", str(workdir), "--successes", "--no-plot",
    ]
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"rasa test nlu failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    predictions = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = workdir / name
        if path.is_file():
            predictions.extend(json.loads(path.read_text(encoding="utf-8")))
    return predictions


def build_report(predictions: list[dict], languages: dict[str, dict[str, str]]) -> dict:
    """Split predictions by language and score each."""
    owner: dict[str, str] = {}
    for lang, examples in languages.items():
        for text in examples:
            owner.setdefault(text, lang)
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in predictions:
        predicted = (item.get("intent_prediction") or {}).get("name") or "none"
        lang = owner.get(item["text"].strip(), "unknown")
        pairs[lang].append((item["intent"], predicted))
        pairs["all"].append((item["intent"], predicted))
    return {lang: scores(p) for lang, p in sorted(pairs.items())}


def misclassified(predictions: list[dict], languages: dict[str, dict[str, str]]) -> dict:
    """{lang: [{text, intent, predicted, confidence}]}: what to look at to improve the data."""
    owner = {text: lang for lang, examples in languages.items() for text in examples}
    errors: dict[str, list[dict]] = defaultdict(list)
    for item in predictions:
        predicted = item.get("intent_prediction") or {}
        if predicted.get("name") != item["intent"]:
            errors[owner.get(item["text"].strip(), "unknown")].append({
                "text": item["text"], "intent": item["intent"],
                "predicted": predicted.get("name"),
                "confidence": round(float(predicted.get("confidence") or 0), 2),
            })
    return dict(sorted(errors.items()))


def markdown(report: dict, folds: int, seconds: float, config: Path) -> str:
    """The report as Markdown."""
    intents = sorted({i for r in report.values() for i in r["per_intent_f1"]})
    langs = [lang for lang in report if lang != "all"] + ["all"]
    lines = [
        "# Language understanding, per language",
        "",
        f"{folds}-fold cross-validation of the pipeline in {_shown(config)} over every language's "
        f"data together ({report['all']['examples']} examples; {seconds:.0f} s). "
        "Regenerate: `python -m bot nlu-report`.",
        "",
        "| language | examples | accuracy | macro-F1 |",
        "|---|---:|---:|---:|",
    ]
    for lang in langs:
        r = report[lang]
        lines.append(f"| {lang} | {r['examples']} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} |")
    lines += ["", "F1 per intent:", "", "| intent | " + " | ".join(langs) + " |",
              "|---|" + "---:|" * len(langs)]
    for intent in intents:
        cells = [f"{report[lang]['per_intent_f1'].get(intent, float('nan')):.2f}" for lang in langs]
        lines.append(f"| {intent} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def run_report(folds: int, out: Path, config: Path = REPO_ROOT / "config.yml") -> dict:
    """Cross-validate and write `out` (.md) and its .json twin; return the report."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        predictions = cross_validate(folds, Path(workdir), config)
    languages = examples_by_language()
    report = build_report(predictions, languages)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_name(out.stem + "_errors.json").write_text(
        json.dumps(misclassified(predictions, languages), ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    out.write_text(markdown(report, folds, time.monotonic() - started, config), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def main(argv: list[str]) -> int:
    """Write the per-language NLU report; exit 1 when a language is under --min-f1."""
    parser = argparse.ArgumentParser(prog="python -m bot nlu-report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports" / "nlu.md")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config.yml",
                        help="the pipeline to evaluate (default: the one the assistant uses)")
    parser.add_argument("--min-f1", type=float, default=0.0,
                        help="fail when any language's macro-F1 is below this")
    args = parser.parse_args(argv)
    report = run_report(args.folds, args.out, args.config)
    print(args.out.read_text(encoding="utf-8"))
    weak = [lang for lang, r in report.items() if r["macro_f1"] < args.min_f1]
    if weak:
        print(f"below macro-F1 {args.min_f1}: {', '.join(weak)}", file=sys.stderr)
        return 1
    return 0
