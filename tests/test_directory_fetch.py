"""Import from a URL, against a local HTTP server on 127.0.0.1: ETag, timeout, size cap."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from directory_fixtures.builders import TODAY, base, write_folder

from bot.directory.csvfiles import tables_to_csv_text
from bot.directory.datapackage import to_datapackage
from bot.directory.fetch import download
from bot.directory.importer import import_directory, validate_source
from bot.directory.model import DirectoryError
from bot.directory.store import connect, content_hash, get_validators
from bot.directory.taxonomy import load_taxonomy


@dataclass
class Route:
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    status: int = 200
    chunked: bool = False


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base_url: str = ""


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            site.requests.append((self.path, dict(self.headers)))
            route = site.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            time.sleep(route.delay)
            if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
            ):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            if route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for start in range(0, len(route.body), 4096):
                    part = route.body[start : start + 4096]
                    self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
                return
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

    return Handler


@pytest.fixture()
def site() -> Iterator[Site]:
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    server.block_on_close = False
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _package_bytes(tmp_path: Path, raw) -> bytes:
    tables, problems = validate_source(str(write_folder(tmp_path / "pkg-src", raw)), today=TODAY)
    assert problems == []
    return json.dumps(to_datapackage(tables, load_taxonomy())).encode()


@pytest.fixture()
def db(tmp_path: Path):
    with closing(connect(tmp_path / "d.db")) as conn:
        yield conn


def test_url_import_remembers_etag_and_skips_unchanged(site: Site, db, tmp_path: Path) -> None:
    site.routes["/dir.json"] = Route(_package_bytes(tmp_path, base()), etag='"v1"')
    url = site.base_url + "/dir.json"
    first = import_directory(db, url, by="Ana", today=TODAY)
    assert first.problems == [] and first.result is not None and first.result.applied
    assert get_validators(db, url) == ('"v1"', None)
    before = content_hash(db)
    second = import_directory(db, url, by="Ana", today=TODAY)
    assert second.not_modified and second.result is None
    assert site.requests[-1][1].get("If-None-Match") == '"v1"'
    assert content_hash(db) == before
    raw = base()
    raw["services"][0]["name"] = "Legal advice (new)"
    site.routes["/dir.json"] = Route(_package_bytes(tmp_path, raw), etag='"v2"')
    third = import_directory(db, url, by="Ana", today=TODAY)
    assert third.result is not None and list(third.result.changes) == ["services"]
    assert get_validators(db, url)[0] == '"v2"'


def test_last_modified_is_sent_back(site: Site, db, tmp_path: Path) -> None:
    stamp = "Sun, 22 Nov 2026 10:00:00 GMT"
    site.routes["/dir.json"] = Route(_package_bytes(tmp_path, base()), last_modified=stamp)
    url = site.base_url + "/dir.json"
    import_directory(db, url, by="Ana", today=TODAY)
    assert import_directory(db, url, by="Ana", today=TODAY).not_modified
    assert site.requests[-1][1].get("If-Modified-Since") == stamp
    forced = import_directory(db, url, by="Ana", today=TODAY, force=True)
    assert not forced.not_modified and "If-Modified-Since" not in site.requests[-1][1]


def test_dry_run_and_failed_imports_do_not_remember_validators(
    site: Site, db, tmp_path: Path
) -> None:
    url = site.base_url + "/dir.json"
    site.routes["/dir.json"] = Route(_package_bytes(tmp_path, base()), etag='"v1"')
    assert import_directory(db, url, by="Ana", dry_run=True, today=TODAY).result is not None
    assert get_validators(db, url) == (None, None)
    site.routes["/dir.json"] = Route(b'{"resources": "nope"}', etag='"bad"')
    assert import_directory(db, url, by="Ana", today=TODAY).problems
    assert get_validators(db, url) == (None, None)


def test_folder_of_csv_files_by_url(site: Site, db, tmp_path: Path) -> None:
    tables, problems = validate_source(str(write_folder(tmp_path / "src", base())), today=TODAY)
    assert problems == []
    for name, text in tables_to_csv_text(tables).items():
        site.routes[f"/pub/{name}"] = Route(text.encode(), etag=f'"{name}-1"')
    url = site.base_url + "/pub/"
    outcome = import_directory(db, url, by="Ana", today=TODAY)
    assert outcome.problems == [] and outcome.result is not None and outcome.result.applied
    assert import_directory(db, url, by="Ana", today=TODAY).not_modified
    site.routes["/pub/phones.csv"].etag = '"phones.csv-2"'  # one file changed: all are read again
    again = import_directory(db, url, by="Ana", today=TODAY)
    assert again.problems == [] and again.result is not None and again.result.changes == {}


def test_slow_server_times_out_and_changes_nothing(site: Site, db, tmp_path: Path) -> None:
    site.routes["/slow.json"] = Route(_package_bytes(tmp_path, base()), delay=1.0)
    before = content_hash(db)
    outcome = import_directory(db, site.base_url + "/slow.json", by="Ana", today=TODAY, timeout=0.2)
    assert [p.code for p in outcome.problems] == ["fetch_timeout"]
    assert content_hash(db) == before


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_oversize_download_is_refused(site: Site, db, chunked: bool) -> None:
    site.routes["/big.json"] = Route(b"{" + b" " * 200_000 + b"}", chunked=chunked)
    before = content_hash(db)
    outcome = import_directory(
        db, site.base_url + "/big.json", by="Ana", today=TODAY, max_bytes=100_000
    )
    assert [p.code for p in outcome.problems] == ["fetch_too_large"]
    assert content_hash(db) == before


def test_http_errors_and_bad_schemes_are_explained(site: Site, db) -> None:
    outcome = import_directory(db, site.base_url + "/missing.json", by="Ana", today=TODAY)
    assert [(p.code, p.params["status"]) for p in outcome.problems] == [("fetch_http_error", 404)]
    with pytest.raises(DirectoryError) as caught:
        download("ftp://127.0.0.1/dir.json")
    assert caught.value.problems[0].code == "fetch_bad_scheme"


def test_data_package_cannot_pull_files_from_another_server(site: Site, db) -> None:
    package = {
        "resources": [
            {"name": "organization", "path": "http://other-host.invalid/organization.csv"}
        ]
    }
    site.routes["/dp.json"] = Route(json.dumps(package).encode())
    outcome = import_directory(db, site.base_url + "/dp.json", by="Ana", today=TODAY)
    assert [p.code for p in outcome.problems] == ["fetch_other_host"]
