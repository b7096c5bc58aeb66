"""The secret behind the pseudonymous Telegram user keys.

USER_ID_HASH_KEY, when set, is used. Otherwise a key is generated at first start and
kept in the state folder, readable by this account only (0600), so that a user keeps
the same key (their language, their quick-exit list) across restarts.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from bot.settings import Settings

log = logging.getLogger(__name__)

KEY_FILE_NAME = "telegram_user_id_hash_key"


def telegram_hash_key(settings: Settings) -> str:
    """The user-id hash key for Telegram: from the settings, or from (or into) the state folder."""
    if settings.user_id_hash_key:
        return settings.user_id_hash_key
    path = Path(settings.state_dir) / KEY_FILE_NAME
    if path.is_file():
        os.chmod(path, 0o600)
        key = path.read_text("utf-8").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    os.chmod(path, 0o600)
    log.warning("USER_ID_HASH_KEY is not set: generated a user-id hash key and kept it in %s "
                "(readable by this account only). Keep that file, or set USER_ID_HASH_KEY.", path)
    return key
