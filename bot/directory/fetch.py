"""Download a published directory over HTTP(S): time limits, size cap, conditional requests."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from bot.directory.model import MAX_FILE_BYTES, DirectoryError, Problem

CHUNK = 64 * 1024
USER_AGENT = "help-centre-directory-import/1"


@dataclass(frozen=True)
class Download:
    """One answer from the server: a body, or not_modified when our copy is still current."""

    url: str
    body: bytes | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    content_type: str = ""


def _fail(url: str, code: str, **params: object) -> DirectoryError:
    return DirectoryError([Problem(url, None, None, code, {"url": url, **params})])


def check_url(url: str) -> None:
    """Refuse anything but http:// and https:// addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _fail(url, "fetch_bad_scheme")


def download(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 10.0,
    max_bytes: int = MAX_FILE_BYTES,
    session: requests.Session | None = None,
) -> Download:
    """GET url, streaming at most max_bytes; send If-None-Match / If-Modified-Since when known."""
    check_url(url)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    http = session or requests.Session()
    deadline = time.monotonic() + 3 * timeout
    limit_mb = f"{max_bytes / (1024 * 1024):.1f}"
    try:
        with http.get(
            url, headers=headers, timeout=(timeout, timeout), stream=True, allow_redirects=True
        ) as response:
            if response.status_code == 304:
                return Download(url, None, etag, last_modified, True)
            if response.status_code != 200:
                raise _fail(url, "fetch_http_error", status=response.status_code)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _fail(url, "fetch_too_large", limit_mb=limit_mb)
            parts: list[bytes] = []
            size = 0
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise _fail(url, "fetch_too_large", limit_mb=limit_mb)
                if time.monotonic() > deadline:
                    raise _fail(url, "fetch_timeout", seconds=3 * timeout)
                parts.append(chunk)
            return Download(
                url,
                b"".join(parts),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
                False,
                response.headers.get("Content-Type", ""),
            )
    except requests.Timeout:
        raise _fail(url, "fetch_timeout", seconds=timeout) from None
    except requests.RequestException as exc:
        if (
            "timed out" in str(exc).lower()
        ):  # a read timeout while streaming surfaces as ConnectionError
            raise _fail(url, "fetch_timeout", seconds=timeout) from None
        raise _fail(url, "fetch_failed", detail=type(exc).__name__) from None
    finally:
        if session is None:
            http.close()
