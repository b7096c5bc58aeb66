"""`python -m bot COMMAND`: every command the project offers, for people and for CI."""

from __future__ import annotations

import importlib
import sys

# command -> (module:function taking argv and returning an exit code, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("bot.run:main", "start the assistant: terminal chat, or Telegram with TELEGRAM_BOT_TOKEN"),
    "setup": ("bot.setup_steps:main", "compile translation catalogs; train the model if it changed"),
    "bench": ("bot.bench:main", "benchmark the running stack against bare Rasa (latency, msg/s, RSS)"),
    "bench-telegram": ("bot.telegram_bench:main_bench",
                       "benchmark the Telegram path against a local stand-in of the Bot API"),
    "nlu-report": ("bot.nlu_report:main", "cross-validate language understanding, per language"),
    "i18n": ("bot.i18n_tools:main", "translators: extract, update, compile and check the catalogs"),
    "directory": ("bot.directory.cli:main",
                  "NGO staff: validate, import, export, stale, verify the help-centre directory"),
    "check-offer": ("bot.offer_check:main_check_offer",
                    "NGO staff: check job offers (stdin or files) for red flags; prints JSON"),
    "offer-report": ("bot.offer_check:main_offer_report",
                     "evaluate the job-offer checker on the labelled corpus, per language"),
    "offer-bench": ("bot.offer_check:main_offer_bench", "benchmark the job-offer checker"),
    "content": ("bot.content_check:main",
                "NGO staff: `content check` checks routes and asylum content (sources, dates)"),
}


def usage() -> str:
    """The list of commands."""
    width = max(map(len, COMMANDS))
    lines = ["usage: python -m bot COMMAND [options]", "", "commands:"]
    lines += [f"  {name.ljust(width)}  {text}" for name, (_, text) in COMMANDS.items()]
    lines += ["", "Run `python -m bot COMMAND --help` for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a command."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    entry = COMMANDS.get(args[0])
    if entry is None:
        print(f"unknown command: {args[0]}\n\n{usage()}", file=sys.stderr)
        return 2
    module_name, function_name = entry[0].split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    return int(function(args[1:]) or 0)
