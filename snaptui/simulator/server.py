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

from snaptui.simulator.gateway import Gateway, Reply


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real gateway does
    disable_nagle_algorithm = True  # headers and body go out separately; no 40 ms stall
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20)) if length else b""
        gateway = self.server.gateway
        reply = gateway.handle(self.command, self.path, dict(self.headers.items()), body)
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
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up mid-answer are routine here (timeouts, injected faults):
        # one line when asked for, never a traceback on the console.
        if self.verbose:
            error = sys.exc_info()[1]
            print(f"simulator: {client_address}: {type(error).__name__}: {error}", file=sys.stderr)

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
