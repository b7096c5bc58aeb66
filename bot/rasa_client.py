"""Talk to the Rasa server over its REST channel and token-protected API on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


class RasaClient:
    """A small async client for the parts of Rasa the front end uses."""

    def __init__(self, base_url: str, api_token: str | None, timeout: float = 3.0) -> None:
        """Point the client at a Rasa server (`http://127.0.0.1:PORT`)."""
        self.base_url = base_url.rstrip("/")
        self._token = api_token
        self.timeout = timeout
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        )

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Send one user message and return Rasa's messages."""
        try:
            response = await self._http.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
            )
            response.raise_for_status()
            messages = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(type(error).__name__) from None
        if not isinstance(messages, list):
            raise RasaUnavailable("unexpected answer")
        return [m for m in messages if isinstance(m, dict)]

    async def forget(self, sender: str) -> bool:
        """Delete the whole conversation Rasa holds for `sender`."""
        try:
            response = await self._http.put(
                f"{self.base_url}/conversations/{sender}/tracker/events",
                params={"token": self._token} if self._token else None,
                json=[],
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def holds(self, sender: str) -> bool:
        """Tell whether Rasa holds anything `sender` said or was told (for checks and tests).

        Rasa answers this request by creating an empty conversation if there is none:
        one without user or bot events counts as nothing held.
        """
        response = await self._http.get(
            f"{self.base_url}/conversations/{sender}/tracker",
            params={"token": self._token, "include_events": "ALL"} if self._token else None,
        )
        response.raise_for_status()
        events = response.json().get("events") or []
        return any(event.get("event") in ("user", "bot") for event in events)

    async def ready(self) -> bool:
        """Tell whether the server is up with a model loaded."""
        try:
            response = await self._http.get(
                f"{self.base_url}/status", params={"token": self._token} if self._token else None
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and bool(response.json().get("model_file"))

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()
