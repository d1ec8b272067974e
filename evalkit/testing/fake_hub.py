"""A loopback fake of the Hugging Face Hub, for dataset repos held in memory.

``hf://`` sources must be tested through the official clients
(``huggingface_hub`` and ``datasets``) over real sockets, like the hosted
providers are against :mod:`evalkit.testing.fake_api`. This server speaks the
slice of the Hub's wire format those clients use for public *dataset* repos,
on 127.0.0.1:

* ``HEAD``/``GET /datasets/{repo}/resolve/{revision}/{path}`` - a file, with the
  headers ``hf_hub_download`` requires: ``X-Repo-Commit``, ``ETag`` (the git
  blob id, quoted), ``Content-Length``; a ``Range: bytes=N-`` resume is honoured;
* ``GET /api/datasets/{repo}`` and ``/api/datasets/{repo}/revision/{revision}`` -
  the repo's info (``sha``, ``siblings``, ...), as ``HfApi.dataset_info`` reads it;
* ``GET /api/datasets/{repo}/tree/{revision}[/{path}]`` (``recursive``,
  ``expand``) - a folder listing, as ``HfFileSystem`` reads it;
* ``POST /api/datasets/{repo}/paths-info/{revision}`` - entries for given paths.

``{revision}`` is ``main`` or the repo's commit id (a hash of its files, so it
changes when the files do). Errors come in the shape the client maps to its
exceptions: ``X-Error-Code: RepoNotFound`` for an unknown repo (and any model
or Space repo) with status 401 to anonymous clients, as the Hub answers them,
404 with a token; 404 with ``RevisionNotFound``, or ``EntryNotFound`` for an
unknown file (with ``X-Repo-Commit``, so the client caches the absence).
Anything else is a plain 404. There are no LFS/Xet files, redirects, private
or gated repos (a token is never checked): every file is served inline, as the
Hub serves small text files.

Every request is recorded (:class:`FakeHubStats`), so tests can assert what
the client fetched, e.g. that a second load is answered by the cache.

``with FakeHubServer({"owner/name": {"data.jsonl": b"..."}}) as hub:`` then set
``HF_ENDPOINT`` to ``hub.base_url``. ``huggingface_hub`` and ``datasets`` read
that variable when first imported; in a process where they already are,
:meth:`FakeHubServer.point_clients` (or ``patch_constants`` for pytest's
``monkeypatch``) repoints their endpoint and cache constants.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import BaseModel, Field

#: ``{repo_id: {path in repo: content}}``
Repos = dict[str, dict[str, bytes]]

_RESOLVE = re.compile(r"^/datasets/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<path>.+)$")
_API = re.compile(
    r"^/api/datasets/(?P<repo>[^/]+/[^/]+)"
    r"(?:/(?P<kind>revision|tree|paths-info)/(?P<rev>[^/]+)(?:/(?P<path>.*))?)?$"
)
#: A model or Space repo, by file URL or API URL: the fake hub holds none.
_OTHER_REPO = re.compile(
    r"^(?:/spaces)?/(?P<repo>[^/]+/[^/]+)/resolve/"
    r"|^/api/(?:models|spaces)/(?P<api_repo>[^/]+/[^/]+)(?:/|$)"
)
_CREATED = "2024-01-01T00:00:00.000Z"


class HubRequest(BaseModel):
    """One request as it arrived, and the status it got."""

    method: str
    #: The URL path, percent-decoded, without the query.
    path: str
    query: dict[str, list[str]] = Field(default_factory=dict)
    #: The ``Range`` header, when the client resumed a download.
    range: str | None = None
    #: For a file URL (``/resolve/``): the file's path in the repo.
    file: str | None = None
    status: int | None = None


class FakeHubStats(BaseModel):
    """What the server saw since it started or since ``reset_stats()``."""

    requests: int = 0
    by_path: dict[str, int] = Field(default_factory=dict)
    by_status: dict[int, int] = Field(default_factory=dict)
    received: list[HubRequest] = Field(default_factory=list)

    def paths(self, method: str | None = None) -> list[str]:
        """Request paths in arrival order, optionally of one method only."""
        return [r.path for r in self.received if method is None or r.method == method]

    def downloads(self) -> list[str]:
        """Files whose content was sent (``GET`` on a resolve URL answered with 200/206)."""
        return [
            r.file
            for r in self.received
            if r.method == "GET" and r.status in (200, 206) and r.file is not None
        ]


def git_blob_id(content: bytes) -> str:
    """The id git gives a file's content: what the Hub sends as a small file's ETag."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def commit_id(files: Mapping[str, bytes]) -> str:
    """A stable 40-hex commit id for a repo's files (not git's, but shaped like it)."""
    digest = hashlib.sha1()
    for path in sorted(files):
        digest.update(f"{path}\0{git_blob_id(files[path])}\n".encode())
    return digest.hexdigest()


class _Reply(Exception):
    """An error answer, raised inside a handler."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _repo_not_found(repo: str) -> _Reply:
    return _Reply(404, f"Repository {repo!r} not found", {"X-Error-Code": "RepoNotFound"})


class FakeHub:
    """The Hub's answers, independent of the socket layer."""

    def __init__(self, repos: Mapping[str, Mapping[str, bytes]] | None = None) -> None:
        self._lock = threading.Lock()
        #: Edit freely between requests; ``{repo_id: {path: bytes}}``.
        self.repos: Repos = {repo: dict(files) for repo, files in (repos or {}).items()}
        self._stats = FakeHubStats()

    @property
    def stats(self) -> FakeHubStats:
        """A snapshot of the counters."""
        with self._lock:
            return self._stats.model_copy(deep=True)

    def reset_stats(self) -> None:
        with self._lock:
            self._stats = FakeHubStats()

    def _record(self, request: HubRequest) -> None:
        with self._lock:
            self._stats.requests += 1
            self._stats.by_path[request.path] = self._stats.by_path.get(request.path, 0) + 1
            self._stats.received.append(request)

    def _answered(self, request: HubRequest, status: int) -> None:
        with self._lock:
            request.status = status
            self._stats.by_status[status] = self._stats.by_status.get(status, 0) + 1

    # ------------------------------------------------------------ lookups

    def _files(self, repo: str, revision: str) -> tuple[dict[str, bytes], str]:
        files = self.repos.get(repo)
        if files is None:
            raise _repo_not_found(repo)
        files = dict(files)
        commit = commit_id(files)
        if revision not in ("main", commit):
            raise _Reply(
                404,
                f"Invalid rev id: {revision}",
                {"X-Error-Code": "RevisionNotFound", "X-Repo-Commit": commit},
            )
        return files, commit

    # ------------------------------------------------------------ routes

    def resolve(self, repo: str, revision: str, path: str) -> tuple[bytes, dict[str, str]]:
        files, commit = self._files(repo, revision)
        if path not in files:
            raise _Reply(
                404,
                "Entry not found",
                {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit},
            )
        content = files[path]
        return content, {
            "Content-Type": "text/plain; charset=utf-8",
            "X-Repo-Commit": commit,
            "ETag": f'"{git_blob_id(content)}"',
            "Accept-Ranges": "bytes",
            "Content-Disposition": f'inline; filename="{path.rsplit("/", 1)[-1]}"',
        }

    def info(self, repo: str, revision: str) -> dict[str, Any]:
        files, commit = self._files(repo, revision)
        owner, name = repo.split("/")
        return {
            "_id": commit[:24],
            "id": repo,
            "author": owner,
            "sha": commit,
            "lastModified": _CREATED,
            "createdAt": _CREATED,
            "private": False,
            "gated": False,
            "disabled": False,
            "downloads": 0,
            "likes": 0,
            "tags": [],
            "cardData": {},
            "siblings": [{"rfilename": path} for path in sorted(files)],
            "usedStorage": sum(len(c) for c in files.values()),
            "description": f"{name} (fake hub)",
        }

    def tree(self, repo: str, revision: str, folder: str, recursive: bool) -> list[dict[str, Any]]:
        files, _ = self._files(repo, revision)
        folder = folder.strip("/")
        prefix = folder + "/" if folder else ""
        if folder and folder in files:
            raise _Reply(404, f"{folder!r} is a file, not a folder")
        entries: dict[str, dict[str, Any]] = {}
        for path in sorted(files):
            if not path.startswith(prefix):
                continue
            parts = path[len(prefix) :].split("/")
            for depth in range(1, len(parts)):
                sub = prefix + "/".join(parts[:depth])
                entries.setdefault(sub, _folder_entry(sub, files))
                if not recursive:
                    break
            else:
                entries[path] = _file_entry(path, files[path])
        if folder and not entries:
            raise _Reply(
                404, f"{folder!r} does not exist on {revision!r}", {"X-Error-Code": "EntryNotFound"}
            )
        return list(entries.values())

    def paths_info(self, repo: str, revision: str, paths: list[str]) -> list[dict[str, Any]]:
        files, _ = self._files(repo, revision)
        found = []
        for raw in paths:
            path = raw.strip("/")
            if path in files:
                found.append(_file_entry(path, files[path]))
            elif any(p.startswith(path + "/") for p in files):
                found.append(_folder_entry(path, files))
        return found


def _file_entry(path: str, content: bytes) -> dict[str, Any]:
    return {"type": "file", "oid": git_blob_id(content), "size": len(content), "path": path}


def _folder_entry(path: str, files: Mapping[str, bytes]) -> dict[str, Any]:
    inside = sorted(p for p in files if p.startswith(path + "/"))
    oid = hashlib.sha1("\n".join(inside).encode()).hexdigest()
    return {"type": "directory", "oid": oid, "size": 0, "path": path}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the clients' connection pools expect
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib names
        self._handle(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._handle(send_body=True)

    def do_POST(self) -> None:  # noqa: N802
        self._handle(send_body=True)

    def _handle(self, send_body: bool) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path)
        request = HubRequest(
            method=self.command,
            path=path,
            query=parse_qs(split.query),
            range=self.headers.get("Range"),
        )
        hub = self.server.hub
        hub._record(request)
        body = self._read_body()
        try:
            status, content, headers = self._route(hub, split.path, request, body)
        except _Reply as error:
            status, headers = error.status, {"Content-Type": "application/json", **error.headers}
            if headers.get("X-Error-Code") == "RepoNotFound" and not self._authenticated:
                # The Hub does not tell anonymous clients a missing repo from a private one.
                status, error.message = 401, "Invalid username or password."
            headers["X-Error-Message"] = error.message
            content = json.dumps({"error": error.message}).encode()
        hub._answered(request, status)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if send_body:
            self.wfile.write(content)

    @property
    def _authenticated(self) -> bool:
        return bool(self.headers.get("Authorization"))

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _route(
        self, hub: FakeHub, raw_path: str, request: HubRequest, body: bytes
    ) -> tuple[int, bytes, dict[str, str]]:
        # Match on the raw path: a revision such as ``refs%2Fpr%2F1`` is one segment.
        resolve = _RESOLVE.match(raw_path)
        if resolve and request.method in ("GET", "HEAD"):
            repo, rev, path = (unquote(resolve.group(k)) for k in ("repo", "rev", "path"))
            request.file = path
            content, headers = hub.resolve(repo, rev, path)
            return _ranged(content, headers, request.range)
        api = _API.match(raw_path)
        if api:
            repo, kind = unquote(api.group("repo")), api.group("kind")
            rev = unquote(api.group("rev") or "main")
            if request.method == "GET" and kind in (None, "revision"):
                return _json(hub.info(repo, rev))
            if request.method == "GET" and kind == "tree":
                recursive = request.query.get("recursive", ["false"])[0].lower() == "true"
                return _json(hub.tree(repo, rev, unquote(api.group("path") or ""), recursive))
            if request.method == "POST" and kind == "paths-info":
                form = _form(body, self.headers.get("Content-Type", ""))
                return _json(hub.paths_info(repo, rev, form.get("paths", [])))
        other = _OTHER_REPO.match(raw_path)
        if other:
            raise _repo_not_found(unquote(other.group("repo") or other.group("api_repo")))
        raise _Reply(404, f"the fake hub does not serve {request.method} {request.path}")


def _json(value: Any) -> tuple[int, bytes, dict[str, str]]:
    return 200, json.dumps(value).encode(), {"Content-Type": "application/json; charset=utf-8"}


def _form(body: bytes, content_type: str) -> dict[str, list[str]]:
    if content_type.startswith("application/json"):
        data = json.loads(body or b"{}")
        return {k: v if isinstance(v, list) else [v] for k, v in data.items()}
    return parse_qs(body.decode())


def _ranged(
    content: bytes, headers: dict[str, str], range_header: str | None
) -> tuple[int, bytes, dict[str, str]]:
    """Honour ``Range: bytes=N-`` (how the client resumes); anything else gets the whole file."""
    match = re.fullmatch(r"bytes=(\d+)-", (range_header or "").strip())
    if not match or int(match.group(1)) >= len(content):
        return 200, content, headers
    start = int(match.group(1))
    headers = {**headers, "Content-Range": f"bytes {start}-{len(content) - 1}/{len(content)}"}
    return 206, content[start:], headers


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], hub: FakeHub) -> None:
        super().__init__(address, _Handler)
        self.hub = hub
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self) -> None:
        """Hang up kept-alive connections, so a stopped server answers nothing at all."""
        with self._connections_lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Patcher(Protocol):
    def setattr(self, target: Any, name: str, value: Any) -> None: ...


class FakeHubServer(FakeHub):
    """The fake Hub on 127.0.0.1, served from background threads.

    ``with FakeHubServer({"owner/name": {"file.jsonl": data}}) as hub:`` then
    point the clients at ``hub.base_url`` (see the module docstring). ``stop()``
    closes the socket and every open connection: afterwards the hub is as
    unreachable as it is on an offline machine.
    """

    def __init__(
        self,
        repos: Mapping[str, Mapping[str, bytes]] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(repos)
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> FakeHubServer:
        if self._server is not None:
            return self
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-hub",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop answering; ``start()`` again listens on the same port."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout_s)
        self._server = self._thread = None

    def __enter__(self) -> FakeHubServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------ client configuration

    def client_env(self, cache_root: Path) -> dict[str, str]:
        """Variables pointing a *new* process's clients here, caching under ``cache_root``."""
        return {
            "HF_ENDPOINT": self.base_url,
            "HF_HOME": str(cache_root),
            "HF_HUB_CACHE": str(cache_root / "hub"),
            "HF_DATASETS_CACHE": str(cache_root / "datasets"),
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "HF_HUB_DISABLE_PROGRESS_BARS": "1",
            "HF_HUB_OFFLINE": "0",
            "HF_DATASETS_OFFLINE": "0",
        }

    def patch_constants(self, patcher: _Patcher, cache_root: Path) -> None:
        """Repoint already-imported clients' constants (endpoint, caches) with ``patcher.setattr``.

        ``patcher`` is pytest's ``monkeypatch`` (undone after the test) or
        anything with the same ``setattr``. Only configuration constants are
        touched, never client functions. Set the variables of
        :meth:`client_env` too: code reading ``HF_ENDPOINT`` itself (evalkit's
        reachability probe) sees the same hub.
        """
        import datasets.config as datasets_config
        import huggingface_hub.constants as hub_constants

        endpoint = self.base_url
        hub_cache = str(cache_root / "hub")
        datasets_cache = cache_root / "datasets"
        hub_values: dict[str, Any] = {
            "ENDPOINT": endpoint,
            "HUGGINGFACE_CO_URL_TEMPLATE": endpoint + "/{repo_id}/resolve/{revision}/{filename}",
            "HF_HOME": str(cache_root),
            "HF_HUB_CACHE": hub_cache,
            "HUGGINGFACE_HUB_CACHE": hub_cache,
            "HF_ASSETS_CACHE": str(cache_root / "assets"),
            "HF_XET_CACHE": str(cache_root / "xet"),
            "HF_HUB_OFFLINE": False,
            "HF_HUB_DISABLE_TELEMETRY": True,
            "HF_URL_HOSTS": hub_constants.HF_URL_HOSTS | {self.host},
        }
        for name, value in hub_values.items():
            if hasattr(hub_constants, name):
                patcher.setattr(hub_constants, name, value)
        datasets_values: dict[str, Any] = {
            "HF_ENDPOINT": endpoint,
            "HUB_DATASETS_URL": endpoint + "/datasets/{repo_id}/resolve/{revision}/{path}",
            "HF_CACHE_HOME": str(cache_root),
            "HF_DATASETS_CACHE": datasets_cache,
            "HF_MODULES_CACHE": cache_root / "modules",
            "DOWNLOADED_DATASETS_PATH": datasets_cache / "downloads",
            "EXTRACTED_DATASETS_PATH": datasets_cache / "downloads" / "extracted",
            "HF_HUB_OFFLINE": False,
            "HF_DATASETS_OFFLINE": False,
        }
        for name, value in datasets_values.items():
            if hasattr(datasets_config, name):
                patcher.setattr(datasets_config, name, value)

    @contextmanager
    def point_clients(self, cache_root: Path) -> Iterator[None]:
        """:meth:`client_env` and :meth:`patch_constants` for a ``with`` block, outside pytest."""
        saved: list[tuple[Any, str, Any]] = []

        class _Saving:
            def setattr(self, target: Any, name: str, value: Any) -> None:
                saved.append((target, name, getattr(target, name)))
                setattr(target, name, value)

        saved_env = {name: os.environ.get(name) for name in self.client_env(cache_root)}
        os.environ.update(self.client_env(cache_root))
        try:
            self.patch_constants(_Saving(), cache_root)
            yield
        finally:
            for target, name, value in reversed(saved):
                setattr(target, name, value)
            for name, value in saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
