#!/usr/bin/env bash
# Set up everything the assistant needs, as often as you like (each step is skipped
# when already done): a Python 3.10 virtual environment in .venv, the project and its
# pinned packages, compiled translation catalogs, and a model trained from the
# current training data. Messages go to stderr, so a piped chat's stdout stays clean.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
say() { printf '%s\n' "$*" >&2; }

is_python310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

find_python310() {
  local candidate
  if [ -n "${PYTHON:-}" ] && is_python310 "$PYTHON"; then echo "$PYTHON"; return 0; fi
  if candidate=$(command -v python3.10 2>/dev/null) && is_python310 "$candidate"; then
    echo "$candidate"; return 0
  fi
  if command -v pyenv >/dev/null 2>&1; then
    local root; root=$(pyenv root)
    for candidate in $(ls -d "$root"/versions/3.10* 2>/dev/null | sort -r -V); do
      if is_python310 "$candidate/bin/python3.10"; then echo "$candidate/bin/python3.10"; return 0; fi
    done
  fi
  for candidate in /usr/bin/python3.10 /usr/local/bin/python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10; do
    if [ -x "$candidate" ] && is_python310 "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

# 1. The virtual environment.
if [ -x "$VENV/bin/python" ] && ! is_python310 "$VENV/bin/python"; then
  say "[setup] $VENV is not a Python 3.10 environment: making a new one."
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! PY=$(find_python310); then
    cat >&2 <<'MSG'
[setup] Python 3.10 is needed, and none was found.
        Rasa Open Source 3.6 (the last open release) runs only on Python 3.8 to 3.10, and
        python-telegram-bot 22 needs 3.10 or newer: 3.10 is the one version both accept.
        Install it, then run this command again. Either:
          - with pyenv (any Linux or macOS):  pyenv install 3.10
          - Ubuntu:  sudo add-apt-repository ppa:deadsnakes/ppa && sudo apt install python3.10 python3.10-venv
          - or point PYTHON at one:  PYTHON=/path/to/python3.10 make run
MSG
    exit 3
  fi
  say "[setup 1/4] Creating the Python 3.10 virtual environment in $VENV (with $PY)..."
  "$PY" -m venv "$VENV"
fi

# 2. The project and its pinned packages (only when pyproject.toml or constraints.txt changed).
stamp="$VENV/.installed"
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "[setup 2/4] Installing the project and its packages (a few minutes the first time)..."
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade "pip==24.3.1" >&2
  "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar on \
      -c constraints.txt -e ".[dev]" >&2
  "$VENV/bin/python" -m pip check >&2
  echo "$want" > "$stamp"
else
  say "[setup 2/4] Packages are up to date."
fi

# 3 and 4. Catalogs, and the model when its inputs changed.
say "[setup 3/4] Compiling translation catalogs; [setup 4/4] training the model if needed..."
RASA_TELEMETRY_ENABLED=false "$VENV/bin/python" -m bot setup
