"""A parsed task as display nodes, shared by the CLI and the TUI so both say the same thing.

Each node is keyed by its JSON path (`SnapshotTask.ImageConfig.Width`) so a
view can update in place. Every string from the server goes through `clean()`:
no control character reaches a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from snaptui.safe_text import clean
from snaptui.volc import endpoints
from snaptui.volc.models import (
    CustomConfig,
    Format,
    ImageConfig,
    SnapshotTask,
    Status,
    StopReason,
    StorageClass,
    StorageConfig,
    StorageType,
    Stream,
    StreamType,
    TosConfig,
    VeImageXConfig,
    Vendor,
    VodConfig,
)
from snaptui.volc.timefmt import format_ago, format_duration

StoreConfig = TosConfig | VodConfig | CustomConfig | VeImageXConfig

# Tones a view maps to colours; the CLI and the TUI read the same ones.
OK, RUNNING, WAITING, FAILED, UNKNOWN, MUTED, ACTIVE = (
    "ok",
    "running",
    "waiting",
    "failed",
    "unknown",
    "muted",
    "active",
)


@dataclass(frozen=True, slots=True)
class Node:
    key: str
    label: str
    value: str = ""
    tone: str = ""
    children: tuple[Node, ...] = field(default=())
    expanded: bool = True

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def text(self) -> str:
        return f"{self.label}: {self.value}" if self.value else self.label


STATUS_WORDS = {
    Status.UNKNOWN_ABNORMAL: ("Unknown", UNKNOWN),
    Status.NOT_STARTED: ("Not started", WAITING),
    Status.RUNNING: ("Running", RUNNING),
    Status.ENDED: ("Ended", OK),
    Status.FAILED: ("Failed", FAILED),
}
STOP_REASON_WORDS = {
    StopReason.UNKNOWN_STOP_REASON: "unknown reason",
    StopReason.STOP_BY_API: "stopped through the OpenAPI",
    StopReason.START_TASK_FAILED: "the task failed to start",
    StopReason.IDLE_TIMEOUT: "idle for longer than MaxIdleTime",
    StopReason.USER_DISCONNECT: "the user left the room",
}
STREAM_TYPE_WORDS = {StreamType.NORMAL: "Audio/video", StreamType.SCREEN: "Screen share"}
FORMAT_WORDS = {Format.JPEG: "JPEG", Format.PNG: "PNG"}
STORAGE_WORDS = {
    StorageType.TOS: "TOS",
    StorageType.VOD: "VOD",
    StorageType.CUSTOM: "S3-compatible third party",
    StorageType.VEIMAGEX: "VeImageX",
}
STORAGE_CONFIG_OF = {
    StorageType.TOS: "TosConfig",
    StorageType.VOD: "VodConfig",
    StorageType.CUSTOM: "CustomConfig",
    StorageType.VEIMAGEX: "VeImageXConfig",
}
VENDOR_WORDS = {
    Vendor.AMAZON_S3: "Amazon S3",
    Vendor.ALIBABA_OSS: "Alibaba Cloud OSS",
    Vendor.HUAWEI_OBS: "Huawei Cloud OBS",
    Vendor.TENCENT_COS: "Tencent Cloud COS",
    Vendor.QINIU_KODO: "Qiniu Kodo",
}
STORAGE_CLASS_WORDS = {
    StorageClass.STANDARD: "Standard",
    StorageClass.ARCHIVE: "Archive",
    StorageClass.INFREQUENT_ACCESS: "Infrequent access",
}


def coded(value: int | str, words: Mapping[Any, str]) -> tuple[str, str]:
    """'Running (2)' for a known value; '7 (unknown value)' flagged for one the docs lack."""
    if value in words:
        return f"{words[value]} ({value})", ""
    return f"{clean(str(value))} (unknown value)", UNKNOWN


def status_text(status: Status | None) -> tuple[str, str]:
    if status is None:
        return "Unknown (missing)", UNKNOWN
    if status in STATUS_WORDS:
        word, tone = STATUS_WORDS[status]
        return f"{word} ({int(status)})", tone
    return f"{int(status)} (unknown value)", UNKNOWN


def status_word(status: Status | None) -> str:
    """The badge: Not started / Running / Ended / Failed / Unknown."""
    if status is not None and status in STATUS_WORDS:
        return STATUS_WORDS[status][0]
    return "Unknown"


def format_time(ms: int, now: float) -> str:
    """'2023-02-24 16:28:29 +08:00 (08:28:29 UTC, 3 min ago)' in the local time zone."""
    try:
        moment = datetime.fromtimestamp(ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return f"{ms} (out of range)"
    local = moment.astimezone()
    ago = format_ago(now - ms / 1000)
    offset = local.utcoffset()
    if not offset:
        return f"{moment:%Y-%m-%d %H:%M:%S} UTC ({ago})"
    utc = f"{moment:%H:%M:%S}" if moment.date() == local.date() else f"{moment:%Y-%m-%d %H:%M:%S}"
    zone = f"{local:%z}"
    return f"{local:%Y-%m-%d %H:%M:%S} {zone[:3]}:{zone[3:5]} ({utc} UTC, {ago})"


def elapsed(task: SnapshotTask, now: float) -> tuple[str, float] | None:
    """('Duration', s) for an ended task, ('Running for', s) while it runs, else None."""
    if not task.StartTime:
        return None
    if task.EndTime:
        return "Duration", max(0.0, (task.EndTime - task.StartTime) / 1000)
    if task.Status != Status.RUNNING:
        return None
    return "Running for", max(0.0, now - task.StartTime / 1000)


def outcome(task: SnapshotTask) -> str:
    """One line for the end of a task: 'Task ended: IdleTimeOut after 3 min 22 s'."""
    word = "failed" if task.Status == Status.FAILED else "ended"
    reason = clean(str(task.StopReason)) if task.StopReason else "no stop reason given"
    span = elapsed(task, 0.0)
    after = f" after {format_duration(span[1])}" if span and span[0] == "Duration" else ""
    return f"Task {word}: {reason}{after}"


def _leaf(key: str, label: str, value: str, tone: str = "") -> Node:
    return Node(key, label, value, tone)


def _pixels(value: int) -> str:
    return "0 (same as stream)" if value == 0 else f"{value} px"


def describe(task: SnapshotTask, now: float, path: str = "SnapshotTask") -> Node:
    """The whole task as a tree of nodes. `now` is epoch seconds (a fixed clock in tests)."""
    kids: list[Node] = []
    status, tone = status_text(task.Status)
    kids.append(_leaf(f"{path}.Status", "Status", status, tone))
    kids.append(_stop_reason(task, path))
    if task.StartTime is not None:
        value = format_time(task.StartTime, now) if task.StartTime else "0 (not set)"
        kids.append(_leaf(f"{path}.StartTime", "StartTime", value))
    if task.EndTime is not None:
        value = format_time(task.EndTime, now) if task.EndTime else "0 (not ended)"
        kids.append(_leaf(f"{path}.EndTime", "EndTime", value, "" if task.EndTime else MUTED))
    span = elapsed(task, now)
    if span:
        kids.append(_leaf(f"{path}.$Elapsed", span[0], format_duration(span[1])))
    if task.MaxIdleTime is not None:
        idle = f"{task.MaxIdleTime} s"
        if task.MaxIdleTime >= 60:
            idle += f" ({format_duration(task.MaxIdleTime)})"
        kids.append(_leaf(f"{path}.MaxIdleTime", "MaxIdleTime", idle))
    if task.TargetStreams is not None:
        kids.append(_streams(task.TargetStreams.StreamList, f"{path}.TargetStreams"))
    if task.ImageConfig is not None:
        kids.append(_image(task.ImageConfig, f"{path}.ImageConfig"))
    if task.StorageConfig is not None:
        kids.append(_storage(task.StorageConfig, f"{path}.StorageConfig"))
    return Node(path, "SnapshotTask", "", "", tuple(kids))


def _stop_reason(task: SnapshotTask, path: str) -> Node:
    key = f"{path}.StopReason"
    if task.StopReason is None:
        finished = task.Status is not None and task.Status.finished
        return _leaf(key, "StopReason", "(empty)" if finished else "none yet (not ended)", MUTED)
    if task.StopReason.known:
        return _leaf(key, "StopReason", f"{task.StopReason}: {STOP_REASON_WORDS[task.StopReason]}")
    return _leaf(key, "StopReason", f"{clean(str(task.StopReason))} (unknown value)", UNKNOWN)


def stream_summary(stream: Stream) -> str:
    user = clean(stream.UserId) if stream.UserId is not None else "(no user)"
    kind = "screen share" if stream.StreamType == StreamType.SCREEN else "audio/video"
    if stream.StreamType is not None and not stream.StreamType.known:
        kind = f"stream type {int(stream.StreamType)}"
    return f"{user} · {kind}"


def _streams(streams: tuple[Stream, ...], path: str) -> Node:
    key = f"{path}.StreamList"
    if not streams:
        listing = Node(key, "StreamList", "empty: all streams in the room", MUTED)
    else:
        items = tuple(_stream(s, f"{key}[{i}]") for i, s in enumerate(streams))
        count = f"{len(streams):,} stream" + ("s" if len(streams) != 1 else "")
        # A long list starts folded: nobody reads 10,000 streams at once.
        listing = Node(key, "StreamList", count, "", items, expanded=len(streams) <= 20)
    return Node(path, "TargetStreams", listing.value, "", (listing,))


def _stream(stream: Stream, path: str) -> Node:
    kids = []
    if stream.Index is not None:
        kids.append(_leaf(f"{path}.Index", "Index", str(stream.Index)))
    if stream.UserId is not None:
        kids.append(_leaf(f"{path}.UserId", "UserId", clean(stream.UserId)))
    if stream.StreamType is not None:
        kids.append(
            _leaf(f"{path}.StreamType", "StreamType", *coded(stream.StreamType, STREAM_TYPE_WORDS))
        )
    index = path.rsplit("[", 1)[1].rstrip("]")
    return Node(path, f"[{index}]", stream_summary(stream), "", tuple(kids), expanded=False)


def _image(image: ImageConfig, path: str) -> Node:
    kids = []
    if image.Format is not None:
        kids.append(_leaf(f"{path}.Format", "Format", *coded(image.Format, FORMAT_WORDS)))
    if image.Width is not None:
        kids.append(_leaf(f"{path}.Width", "Width", _pixels(image.Width)))
    if image.Height is not None:
        kids.append(_leaf(f"{path}.Height", "Height", _pixels(image.Height)))
    if image.Interval is not None:
        kids.append(_leaf(f"{path}.Interval", "Interval", f"every {image.Interval} s"))
    return Node(path, "ImageConfig", image_summary(image), "", tuple(kids))


def image_summary(image: ImageConfig) -> str:
    """'JPEG 800x800, every 2 s'; a 0 side reads as the stream's own size."""
    parts = []
    if image.Format is not None:
        parts.append(FORMAT_WORDS.get(image.Format, f"format {int(image.Format)}"))
    if image.Width is not None or image.Height is not None:
        width, height = image.Width or 0, image.Height or 0
        parts.append(
            "stream size" if not (width or height) else f"{width or 'auto'}x{height or 'auto'}"
        )
    text = " ".join(parts)
    if image.Interval is not None:
        text += f", every {image.Interval} s" if text else f"every {image.Interval} s"
    return text


def region_text(table: list[str] | None, code: int, fallback: str) -> tuple[str, str]:
    if table is not None and 0 <= code < len(table):
        return f"{table[code]} ({code})", ""
    return f"{fallback} region #{code}", UNKNOWN if table is not None else ""


def _custom_region(custom: CustomConfig, code: int) -> tuple[str, str]:
    vendor = custom.Vendor if custom.Vendor is not None else Vendor.AMAZON_S3
    name = VENDOR_WORDS.get(vendor, f"vendor {int(vendor)}")
    text, tone = region_text(endpoints.VENDOR_REGIONS.get(int(vendor)), code, name)
    if vendor == Vendor.AMAZON_S3 and code in endpoints.S3_UNSUPPORTED:
        text += ", listed as unsupported"
    return text, tone


def _storage(storage: StorageConfig, path: str) -> Node:
    kids = []
    active = STORAGE_CONFIG_OF.get(storage.Type) if storage.Type is not None else None
    if storage.Type is not None:
        kids.append(_leaf(f"{path}.Type", "Type", *coded(storage.Type, STORAGE_WORDS)))
    configs: list[tuple[str, StoreConfig | None]] = [
        ("TosConfig", storage.TosConfig),
        ("VodConfig", storage.VodConfig),
        ("CustomConfig", storage.CustomConfig),
        ("VeImageXConfig", storage.VeImageXConfig),
    ]
    for name, config in configs:
        if config is None:
            continue
        key = f"{path}.{name}"
        fields = tuple(_storage_fields(config, key))
        if name == active:
            kids.append(Node(key, name, "in use", ACTIVE, fields))
        else:
            kids.append(Node(key, name, "not used", MUTED, fields, expanded=False))
    summary = ""
    if storage.Type is not None:
        summary = STORAGE_WORDS.get(storage.Type, f"type {int(storage.Type)}")
    return Node(path, "StorageConfig", summary, "", tuple(kids))


def _storage_fields(config: StoreConfig, path: str) -> list[Node]:
    out = []
    for item in fields(config):
        name = item.name
        value = getattr(config, name)
        if value is None:
            continue
        key = f"{path}.{name}"
        if name == "Region":
            out.append(_leaf(key, name, *_region_of(config, value)))
        elif name == "Vendor":
            out.append(_leaf(key, name, *coded(value, VENDOR_WORDS)))
        elif name == "StorageClass":
            out.append(_leaf(key, name, *coded(value, STORAGE_CLASS_WORDS)))
        elif isinstance(value, bool):
            out.append(_leaf(key, name, "yes" if value else "no"))
        else:
            out.append(_leaf(key, name, clean(str(value))))
    return out


def _region_of(config: StoreConfig, code: int) -> tuple[str, str]:
    if isinstance(config, TosConfig):
        return region_text(endpoints.TOS_REGIONS, code, "TOS")
    if isinstance(config, VodConfig):
        return region_text(endpoints.VOD_REGIONS, code, "VOD")
    if isinstance(config, CustomConfig):
        return _custom_region(config, code)
    return region_text(None, code, "VeImageX")
