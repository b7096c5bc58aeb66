"""Run the directory commands directly: python -m bot.directory COMMAND ..."""

import sys

from bot.directory.cli import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
