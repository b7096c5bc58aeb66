"""Custom Rasa actions: thin wrappers over plain functions in `bot/`."""
