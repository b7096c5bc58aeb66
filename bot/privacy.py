"""Pseudonymous user keys: Rasa and every store see a keyed hash, never a raw chat id."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def user_key(channel: str, raw_id: str | int, secret: str) -> str:
    """A stable, keyed hash of a channel's user id (HMAC-SHA256, 128 bits shown)."""
    digest = hmac.new(secret.encode(), f"{channel}:{raw_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def ephemeral_secret() -> str:
    """A random key for a run that keeps nothing across restarts (the terminal chat)."""
    return secrets.token_urlsafe(32)
