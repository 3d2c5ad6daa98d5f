"""A real HTTP server on 127.0.0.1 for the fetch and watch tests (never another host).

Each path is a ``Route``: a list of answers served in turn (the last one repeats), or a
callable. A page served with an ETag answers ``If-None-Match`` with a 304, like a real
site. Every request is logged with its headers, so tests can check what was sent.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "html"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True  # send a strong ETag of the body and honour If-None-Match
    delay: float = 0.0  # seconds before answering (a slow server)
    chunked: bool = False  # no Content-Length: the body is streamed in pieces


@dataclass
class Request:
    path: str
    headers: dict[str, str]


Handler = Callable[[Request], Answer]


class PageServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Answer] | Handler] = {}
        self.requests: list[Request] = []
        server = _QuietServer(("127.0.0.1", 0), _handler_class(self))
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, *answers: Answer | Handler) -> None:
        if len(answers) == 1 and callable(answers[0]):
            self.routes[path] = answers[0]
        else:
            self.routes[path] = [a for a in answers if isinstance(a, Answer)]

    def page(self, path: str, html: str, **kwargs: object) -> None:
        self.serve(path, Answer(body=html.encode("utf-8"), **kwargs))  # type: ignore[arg-type]

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> PageServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, request: Request) -> Answer:
        route = self.routes.get(request.path)
        if route is None:
            return Answer(status=404, body=b"not found", content_type="text/plain", etag=False)
        if callable(route):
            return route(request)
        served = sum(1 for r in self.requests if r.path == request.path) - 1
        return route[min(served, len(route) - 1)]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up early (an oversized page) is expected here


def _handler_class(owner: PageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body are two writes: without this, Nagle and delayed ACKs add 40 ms.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]  # routes and hits ignore the query string
            request = Request(path, {k.lower(): v for k, v in self.headers.items()})
            owner.requests.append(request)
            answer = owner.answer(request)
            if answer.delay:
                time.sleep(answer.delay)
            tag = f'"{hashlib.sha1(answer.body).hexdigest()[:16]}"' if answer.etag else None
            if tag and request.headers.get("if-none-match") == tag and answer.status == 200:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(answer.status)
            if answer.content_type:
                self.send_header("Content-Type", answer.content_type)
            if tag:
                self.send_header("ETag", tag)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for piece in _pieces(answer.body, 16 * 1024):
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
                return
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def _pieces(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")
