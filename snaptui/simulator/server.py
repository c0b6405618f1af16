"""The simulator over real HTTP on loopback, in a background thread or in the foreground."""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from snaptui.i18n import _
from snaptui.safe_text import clean
from snaptui.simulator.gateway import Gateway, Reply

MAX_BODY = 1 << 20  # a GetSnapshotTask request has no body; this is plenty


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real gateway does
    disable_nagle_algorithm = True  # headers and body go out separately; no 40 ms stall
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        gateway = self.server.gateway
        length = _content_length(self.headers.get("Content-Length"))
        if length is None or length > MAX_BODY:
            # What follows on this connection cannot be framed: answer, then close it.
            self.close_connection = True
            problem = "is not a byte count" if length is None else f"is over {MAX_BODY} bytes"
            self._send(gateway.refusal("InvalidParameter", f"Content-Length {problem}", 400))
            return
        body = self.rfile.read(length) if length else b""
        try:
            reply = gateway.handle(self.command, self.path, dict(self.headers.items()), body)
        except Exception as exc:  # a simulator bug: answer, and say why where its owner looks
            self.server.log(f"{self.command} {self.path}: {type(exc).__name__}: {exc}")
            reply = gateway.refusal("InternalError", "the simulator failed; see its log", 500)
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        fault = reply.fault
        if fault is not None and fault.kind == "latency":
            time.sleep(fault.seconds)
        if fault is not None and fault.kind == "reset":
            self._reset()
            return
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if fault is not None and fault.kind == "trickle":
            self._trickle(reply, fault.seconds)
        else:
            self.wfile.write(reply.body)

    def date_time_string(self, timestamp: float | None = None) -> str:
        # The Date header follows the gateway's clock, so clock-skew checks see it.
        return formatdate(self.server.gateway.clock(), usegmt=True)

    def _trickle(self, reply: Reply, seconds: float) -> None:
        chunks = max(1, min(len(reply.body), 50))
        size = -(-len(reply.body) // chunks)
        try:
            for start in range(0, len(reply.body), size):
                self.wfile.write(reply.body[start : start + size])
                self.wfile.flush()
                time.sleep(seconds / chunks)
        except OSError:
            pass  # the client gave up waiting: that is the point of this fault

    def _reset(self) -> None:
        # SO_LINGER 0 makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            self.server.log(f"{self.address_string()} {format % args}")


def _content_length(value: str | None) -> int | None:
    """The declared body size, 0 when absent; None when it is not a byte count."""
    if value is None:
        return 0
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    # int() refuses more than 4300 digits, in words of its own; 19 are already too many.
    return int(value) if len(value) <= 18 else MAX_BODY + 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up mid-answer are routine here (timeouts, injected faults):
        # one line when asked for. Anything else is always one line: never a traceback,
        # never a dropped request without a word.
        error = sys.exc_info()[1]
        if self.verbose or not isinstance(error, OSError):
            self.log(f"{client_address}: {type(error).__name__}: {error}")

    def log(self, line: str) -> None:
        print(_("simulator: {line}").format(line=clean(line)), file=sys.stderr, flush=True)

    def __init__(
        self,
        address: tuple[str, int],
        gateway: Gateway,
        verbose: bool,
        sock: socket.socket | None = None,
    ) -> None:
        self.gateway = gateway
        self.verbose = verbose
        super().__init__(address, _Handler, bind_and_activate=sock is None)
        if sock is not None:
            self.socket.close()
            self.socket = sock
            self.server_address = sock.getsockname()


class Simulator:
    """A running simulated endpoint. Port 0 picks a free port."""

    def __init__(
        self,
        gateway: Gateway | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        sock: socket.socket | None = None,
    ) -> None:
        """`sock`: an already bound, listening socket to serve; clients that connect before
        `start()` wait in its backlog (the demo binds its port before the app starts)."""
        self.gateway = gateway or Gateway()
        self._server = _Server((host, port), self.gateway, verbose, sock)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        host = str(host)
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def start(self) -> Simulator:
        # A long poll costs no CPU while idle; stop() wakes the loop itself.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 5.0},
            name="snaptui-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            stopper = threading.Thread(target=self._server.shutdown, daemon=True)
            stopper.start()
            # serve_forever notices the shutdown request only when select() returns:
            # knock on the listening socket until it has.
            address = self._server.server_address[:2]
            while stopper.is_alive():
                with contextlib.suppress(OSError):
                    socket.create_connection((str(address[0]), int(address[1])), timeout=1).close()
                stopper.join(timeout=0.02)
            self._thread.join(timeout=5)
        self._server.server_close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
