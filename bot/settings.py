"""Configuration from the environment (secrets never come from files in the repository)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Everything the assistant reads from its environment."""

    telegram_token: str | None = field(default=None, repr=False)
    telegram_api_base_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = field(default=None, repr=False)
    telegram_webhook_port: int = 8443
    user_id_hash_key: str | None = field(default=None, repr=False)
    retention_hours: float = 24.0
    rasa_port: int = 5005
    action_server_port: int = 5055
    reply_timeout_seconds: float = 3.0
    state_dir: Path = REPO_ROOT / "var"
    model_dir: Path = REPO_ROOT / "models"
    default_language: str = "en"
    max_restarts: int = 3
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from environment variables."""
        env = os.environ if env is None else env

        def number(name: str, default: float) -> float:
            value = env.get(name)
            if not value:
                return default
            try:
                return float(value)
            except ValueError:
                raise SystemExit(f"{name} must be a number, not {value!r}") from None

        return cls(
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            telegram_webhook_url=env.get("TELEGRAM_WEBHOOK_URL") or None,
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
            telegram_webhook_port=int(number("TELEGRAM_WEBHOOK_PORT", 8443)),
            user_id_hash_key=env.get("USER_ID_HASH_KEY") or None,
            retention_hours=number("RETENTION_HOURS", 24.0),
            rasa_port=int(number("RASA_PORT", 5005)),
            action_server_port=int(number("ACTION_SERVER_PORT", 5055)),
            reply_timeout_seconds=number("REPLY_TIMEOUT_SECONDS", 3.0),
            state_dir=Path(env.get("STATE_DIR") or REPO_ROOT / "var"),
            model_dir=Path(env.get("MODEL_DIR") or REPO_ROOT / "models"),
            default_language=env.get("DEFAULT_LANGUAGE") or "en",
            max_restarts=int(number("SUPERVISOR_MAX_RESTARTS", 3)),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
        )
