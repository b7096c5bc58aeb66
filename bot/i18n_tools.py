"""Translator tools: `python -m bot i18n extract | update | compile | check`.

- extract: collect every user-facing string (Python and content files) into
  locales/messages.pot;
- update: bring every language's messages.po in line with the template (new
  languages get a new file);
- compile: build the .mo files the assistant reads;
- check: per language, completeness, fuzzy and untranslated counts, and errors
  (placeholders that differ from the source, broken tags, wrong plural forms, a
  template that is out of date); exits 1 on errors.
"""

from __future__ import annotations

import argparse
import io
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from bot.languages import SUPPORTED
from bot.setup_steps import compile_catalogs

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCALES = REPO_ROOT / "locales"
TEMPLATE = LOCALES / "messages.pot"
STATUS_FILE = LOCALES / "status.yml"
KEYWORDS = {"message": ((1, "c"), 2), "plural_message": ((1, "c"), 2, 3)}
PROJECT = "safe-passage-assistant"
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]|%[sd]")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def extract(root: Path = REPO_ROOT) -> Catalog:
    """Collect every user-facing string of the project into a template catalog."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(project=PROJECT, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False)
    return out.getvalue()


def _keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(_msgid(m), m.context) for m in catalog if m.id}


def _msgid(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def write_template() -> Catalog:
    """Extract and write locales/messages.pot."""
    template = extract()
    LOCALES.mkdir(exist_ok=True)
    TEMPLATE.write_bytes(_po_bytes(template))
    return template


def update_catalogs(languages: tuple[str, ...] = SUPPORTED) -> list[Path]:
    """Update (or create) every language's messages.po from the template."""
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    written = []
    for lang in languages:
        if lang == "en":
            continue  # English is the source text
        path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            catalog.update(template, no_fuzzy_matching=False)
        else:
            catalog = Catalog(locale=Locale.parse(lang), project=PROJECT, charset="utf-8")
            catalog.update(template)
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(catalog))
        written.append(path)
    return written


@dataclass
class LanguageReport:
    """What the check found for one language."""

    lang: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    errors: list[str] = field(default_factory=list)
    status: str = "draft"

    @property
    def completeness(self) -> float:
        """Share of the template's messages translated (not fuzzy)."""
        if not self.total:
            return 1.0
        # Never round up to 100%: a language is complete only when nothing is missing.
        return math.floor(self.translated / self.total * 1000) / 1000


def check_language(lang: str, template: Catalog) -> LanguageReport:
    """Check one language's catalog against the template."""
    report = LanguageReport(lang=lang, total=len(_keys(template)))
    path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        report.untranslated = report.total
        report.errors.append(f"{path.relative_to(REPO_ROOT)} is missing: run `python -m bot i18n update`")
        return report
    with path.open("rb") as handle:
        try:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
        except Exception as error:  # noqa: BLE001 - report any parse error to the translator
            report.errors.append(f"{path.name} cannot be read: {error}")
            return report
    wanted = _keys(template)
    for message in catalog:
        if not message.id or (_msgid(message), message.context) not in wanted:
            continue
        where = f"{lang}: message {message.context or _msgid(message)[:40]!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            report.fuzzy += 1
            continue
        if not any(strings):
            report.untranslated += 1
            continue
        report.translated += 1
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted_placeholders = sorted(set(_PLACEHOLDER.findall(sources[-1])))
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            report.errors.append(
                f"{where}: {len(strings)} plural forms, the language needs {catalog.num_plurals}"
            )
        for text in strings:
            if not text:
                report.errors.append(f"{where}: a plural form is empty")
                continue
            got = sorted(set(_PLACEHOLDER.findall(text)))
            if got != wanted_placeholders and not (
                isinstance(message.id, tuple) and set(got) <= set(wanted_placeholders)
            ):
                report.errors.append(
                    f"{where}: placeholders {got} differ from the source's {wanted_placeholders}"
                )
            if sorted(_TAG.findall(text)) != sorted(_TAG.findall(sources[0])) and _TAG.findall(
                text + sources[0]
            ):
                report.errors.append(f"{where}: HTML tags differ from the source")
    report.untranslated = report.total - report.translated - report.fuzzy
    return report


def read_status() -> dict[str, dict]:
    """Per-language review status (who reviewed, when) from locales/status.yml."""
    if not STATUS_FILE.is_file():
        return {}
    return yaml.safe_load(STATUS_FILE.read_text(encoding="utf-8")) or {}


def status_table() -> str:
    """Markdown table of each language's completeness and review status (shown in the README)."""
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    status = read_status()
    lines = ["| language | translated | review |", "|---|---:|---|"]
    for lang in SUPPORTED:
        if lang == "en":
            lines.append("| en | source | source text |")
            continue
        report = check_language(lang, template)
        info = status.get(lang) or {}
        review = (f"reviewed by {info['reviewed_by']} on {info['reviewed_on']}"
                  if info.get("reviewed_by") else "draft, not yet reviewed by a native speaker")
        lines.append(f"| {lang} | {report.completeness:.1%} | {review} |")
    return "\n".join(lines)


def check(require_complete: bool = False, out=sys.stdout) -> int:
    """Print the per-language report; return 1 on errors."""
    fresh = extract()
    problems: list[str] = []
    if not TEMPLATE.is_file():
        problems.append("locales/messages.pot is missing: run `python -m bot i18n extract`")
        template = fresh
    else:
        with TEMPLATE.open("rb") as handle:
            template = read_po(handle)
        if _keys(template) != _keys(fresh):
            added = len(_keys(fresh) - _keys(template))
            removed = len(_keys(template) - _keys(fresh))
            problems.append(
                f"locales/messages.pot is out of date ({added} new, {removed} removed strings): "
                "run `python -m bot i18n extract` then `python -m bot i18n update`"
            )
    status = read_status()
    print(f"{'language':<10}{'complete':>9}{'fuzzy':>7}{'missing':>9}  review", file=out)
    print(f"{'en':<10}{'source':>9}{'':>7}{'':>9}  source text", file=out)
    for lang in SUPPORTED:
        if lang == "en":
            continue
        report = check_language(lang, template)
        info = status.get(lang) or {}
        review = (
            f"reviewed by {info['reviewed_by']} on {info['reviewed_on']}"
            if info.get("reviewed_by")
            else "draft: not yet reviewed by a native speaker"
        )
        print(
            f"{lang:<10}{report.completeness:>8.1%}{report.fuzzy:>7}{report.untranslated:>9}  {review}",
            file=out,
        )
        problems.extend(report.errors)
        if require_complete and (report.untranslated or report.fuzzy):
            problems.append(f"{lang}: {report.untranslated + report.fuzzy} messages not translated")
    for problem in problems:
        print(f"ERROR {problem}", file=out)
    print(f"{len(problems)} error(s)", file=out)
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    """Run a translator command."""
    parser = argparse.ArgumentParser(prog="python -m bot i18n", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="write locales/messages.pot from the code and content files")
    update = sub.add_parser("update", help="update every language's messages.po from the template")
    update.add_argument("languages", nargs="*", help="only these languages (e.g. a new one)")
    sub.add_parser("compile", help="compile the .po files into .mo files")
    sub.add_parser("status", help="print the per-language status table the README shows")
    checker = sub.add_parser("check", help="report completeness and errors per language")
    checker.add_argument("--require-complete", action="store_true",
                         help="also fail when a language has untranslated or fuzzy messages")
    args = parser.parse_args(argv)
    if args.command == "extract":
        template = write_template()
        print(f"{TEMPLATE.relative_to(REPO_ROOT)}: {len(_keys(template))} strings")
    elif args.command == "update":
        languages = tuple(args.languages) or SUPPORTED
        unknown = [lang for lang in languages if lang not in SUPPORTED]
        if unknown:
            print(f"not a supported language: {', '.join(unknown)} (add it to bot/languages.py first)",
                  file=sys.stderr)
            return 2
        for path in update_catalogs(languages):
            print(f"updated {path.relative_to(REPO_ROOT)}")
    elif args.command == "status":
        print(status_table())
    elif args.command == "compile":
        print(f"compiled {len(compile_catalogs())} catalogs")
    else:
        return check(require_complete=args.require_complete)
    return 0
