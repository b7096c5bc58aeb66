# The project's commands, for people and for CI. `make help` lists them.
SHELL := /bin/bash
PY := .venv/bin/python

.PHONY: help setup run test bench nlu-report i18n-check

help: ## list the commands
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: ## set everything up: Python 3.10 venv, packages, catalogs, model (skips what is done)
	@scripts/bootstrap.sh

run: setup ## set up if needed, then start the assistant (terminal chat; Telegram with TELEGRAM_BOT_TOKEN)
	@$(PY) -m bot run

test: setup ## set up if needed, then run every test (Rasa checks, NLU report, pytest, end to end)
	@$(PY) -m pytest

bench: setup ## benchmark the running stack against bare Rasa
	@$(PY) -m bot bench

nlu-report: setup ## cross-validate language understanding per language (reports/nlu.md)
	@$(PY) -m bot nlu-report

i18n-check: setup ## translators: completeness and errors per language
	@$(PY) -m bot i18n check
