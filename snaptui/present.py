"""A parsed task as display nodes, shared by the CLI and the TUI so both say the same thing.

Each node is keyed by its JSON path (`SnapshotTask.ImageConfig.Width`) so a
view can update in place. Every string from the server goes through `clean()`:
no control character reaches a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from snaptui.i18n import N_, _, ngettext, translate
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
    # The value as the JSON has it ('1764105358000', '3'), for copying; '' for a branch.
    raw: str = ""
    # A branch built only when opened (describe(lazy=True)); `children` is then empty.
    load: Callable[[], tuple[Node, ...]] | None = field(default=None, compare=False)

    def kids(self) -> tuple[Node, ...]:
        """The children, building a lazy branch's."""
        return self.load() if self.load is not None else self.children

    @property
    def branch(self) -> bool:
        return bool(self.children) or self.load is not None

    def walk(self) -> list[Node]:
        """Every node, lazy branches included."""
        out = [self]
        for child in self.kids():
            out.extend(child.walk())
        return out

    def walk_built(self) -> list[Node]:
        """The nodes built so far: a lazy branch's children are left out."""
        out = [self]
        for child in self.children:
            out.extend(child.walk_built())
        return out

    def text(self) -> str:
        return f"{self.label}: {self.value}" if self.value else self.label

    @property
    def help(self) -> str:
        """What the field means, from the API page, in the current language ('' if the
        page does not describe it); looked up when asked, so a big list costs nothing."""
        # Imported here: a one-shot `get` prints no meanings and need not load them.
        from snaptui.field_help import describe_field

        return describe_field(self.key)


# The words below are English msgids (N_); a view shows them through translate(), and the
# Chinese catalog holds the API page's own wording for each.
STATUS_WORDS = {
    Status.UNKNOWN_ABNORMAL: (N_("Unknown"), UNKNOWN),
    Status.NOT_STARTED: (N_("Not started"), WAITING),
    Status.RUNNING: (N_("Running"), RUNNING),
    Status.ENDED: (N_("Ended"), OK),
    Status.FAILED: (N_("Failed"), FAILED),
}
STOP_REASON_WORDS = {
    StopReason.UNKNOWN_STOP_REASON: N_("unknown reason"),
    StopReason.STOP_BY_API: N_("stopped through the OpenAPI"),
    StopReason.START_TASK_FAILED: N_("the task failed to start"),
    StopReason.IDLE_TIMEOUT: N_("idle for longer than MaxIdleTime"),
    StopReason.USER_DISCONNECT: N_("the user left the room"),
}
STREAM_TYPE_WORDS = {StreamType.NORMAL: N_("Audio/video"), StreamType.SCREEN: N_("Screen share")}
# Format names are the same in every language.
FORMAT_WORDS = {Format.JPEG: "JPEG", Format.PNG: "PNG"}
STORAGE_WORDS = {
    StorageType.TOS: N_("TOS"),
    StorageType.VOD: N_("VOD"),
    StorageType.CUSTOM: N_("S3-compatible third party"),
    StorageType.VEIMAGEX: N_("VeImageX"),
}
STORAGE_CONFIG_OF = {
    StorageType.TOS: "TosConfig",
    StorageType.VOD: "VodConfig",
    StorageType.CUSTOM: "CustomConfig",
    StorageType.VEIMAGEX: "VeImageXConfig",
}
VENDOR_WORDS = {
    Vendor.AMAZON_S3: N_("Amazon S3"),
    Vendor.ALIBABA_OSS: N_("Alibaba Cloud OSS"),
    Vendor.HUAWEI_OBS: N_("Huawei Cloud OBS"),
    Vendor.TENCENT_COS: N_("Tencent Cloud COS"),
    Vendor.QINIU_KODO: N_("Qiniu Kodo"),
}
STORAGE_CLASS_WORDS = {
    StorageClass.STANDARD: N_("Standard"),
    StorageClass.ARCHIVE: N_("Archive"),
    StorageClass.INFREQUENT_ACCESS: N_("Infrequent access"),
}


def coded(value: int | str, words: Mapping[Any, str]) -> tuple[str, str]:
    """'Running (2)' for a known value; '7 (unknown value)' flagged for one the docs lack."""
    if value in words:
        return f"{translate(words[value])} ({value})", ""
    return unknown_value(value), UNKNOWN


def unknown_value(value: object) -> str:
    """'7 (unknown value)': a value the API page does not list, shown as it came."""
    return _("{value} (unknown value)").format(value=clean(str(value)))


def status_text(status: Status | None) -> tuple[str, str]:
    if status is None:
        return _("Unknown (missing)"), UNKNOWN
    if status in STATUS_WORDS:
        word, tone = STATUS_WORDS[status]
        return f"{translate(word)} ({int(status)})", tone
    return unknown_value(int(status)), UNKNOWN


def status_badge(status: Status | None) -> tuple[str, str]:
    """The badge's word and tone: Not started / Running / Ended / Failed / Unknown."""
    if status is not None and status in STATUS_WORDS:
        word, tone = STATUS_WORDS[status]
    else:
        word, tone = N_("Unknown"), UNKNOWN
    return translate(word), tone


def status_word(status: Status | None) -> str:
    """The badge's word: Not started / Running / Ended / Failed / Unknown."""
    return status_badge(status)[0]


def format_time(ms: int, now: float) -> str:
    """'2023-02-24 16:28:29 +08:00 (08:28:29 UTC, 3 min ago)' in the local time zone."""
    try:
        moment = datetime.fromtimestamp(ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return _("{ms} (out of range)").format(ms=ms)
    local = moment.astimezone()
    ago = format_ago(now - ms / 1000)
    offset = local.utcoffset()
    if not offset:
        return _("{time} UTC ({ago})").format(time=f"{moment:%Y-%m-%d %H:%M:%S}", ago=ago)
    utc = f"{moment:%H:%M:%S}" if moment.date() == local.date() else f"{moment:%Y-%m-%d %H:%M:%S}"
    zone = f"{local:%z}"
    return _("{time} {zone} ({utc} UTC, {ago})").format(
        time=f"{local:%Y-%m-%d %H:%M:%S}", zone=f"{zone[:3]}:{zone[3:5]}", utc=utc, ago=ago
    )


# elapsed()'s labels are keys a view may compare with; describe() shows them translated.
DURATION, RUNNING_FOR = N_("Duration"), N_("Running for")


def elapsed(task: SnapshotTask, now: float) -> tuple[str, float] | None:
    """('Duration', s) for an ended task, ('Running for', s) while it runs, else None.
    The label is the English key: `translate()` it to show it."""
    if not task.StartTime:
        return None
    if task.EndTime:
        return DURATION, max(0.0, (task.EndTime - task.StartTime) / 1000)
    if task.Status != Status.RUNNING:
        return None
    return RUNNING_FOR, max(0.0, now - task.StartTime / 1000)


def outcome(task: SnapshotTask) -> str:
    """One line for the end of a task: 'Task ended: IdleTimeOut after 3 min 22 s'."""
    failed = task.Status == Status.FAILED
    reason = clean(str(task.StopReason)) if task.StopReason else _("no stop reason given")
    span = elapsed(task, 0.0)
    if span and span[0] == DURATION:
        duration = format_duration(span[1])
        if failed:
            return _("Task failed: {reason} after {duration}").format(
                reason=reason, duration=duration
            )
        return _("Task ended: {reason} after {duration}").format(reason=reason, duration=duration)
    if failed:
        return _("Task failed: {reason}").format(reason=reason)
    return _("Task ended: {reason}").format(reason=reason)


def _leaf(key: str, label: str, value: str, tone: str = "", raw: object = None) -> Node:
    return Node(key, label, value, tone, raw="" if raw is None else _raw(raw))


def _raw(value: object) -> str:
    """What the JSON holds: 3, 1764105358000, true, IdleTimeOut (an enum by its value)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    return str(value)


def _pixels(value: int) -> str:
    return _("0 (same as stream)") if value == 0 else _("{n} px").format(n=value)


def describe(
    task: SnapshotTask, now: float, path: str = "SnapshotTask", *, lazy: bool = False
) -> Node:
    """The whole task as a tree of nodes. `now` is epoch seconds (a fixed clock in tests).
    With `lazy`, a long StreamList is built only when opened (`Node.load`)."""
    kids: list[Node] = []
    status, tone = status_text(task.Status)
    raw_status = None if task.Status is None else int(task.Status)
    kids.append(_leaf(f"{path}.Status", "Status", status, tone, raw_status))
    kids.append(_stop_reason(task, path))
    if task.StartTime is not None:
        value = format_time(task.StartTime, now) if task.StartTime else _("0 (not set)")
        kids.append(_leaf(f"{path}.StartTime", "StartTime", value, "", task.StartTime))
    if task.EndTime is not None:
        value = format_time(task.EndTime, now) if task.EndTime else _("0 (not ended)")
        tone = "" if task.EndTime else MUTED
        kids.append(_leaf(f"{path}.EndTime", "EndTime", value, tone, task.EndTime))
    span = elapsed(task, now)
    if span:
        label = translate(span[0])
        kids.append(_leaf(f"{path}.$Elapsed", label, format_duration(span[1])))
    if task.MaxIdleTime is not None:
        idle = _("{n} s").format(n=task.MaxIdleTime)
        if task.MaxIdleTime >= 60:
            idle = _("{n} s ({duration})").format(
                n=task.MaxIdleTime, duration=format_duration(task.MaxIdleTime)
            )
        kids.append(_leaf(f"{path}.MaxIdleTime", "MaxIdleTime", idle, "", task.MaxIdleTime))
    if task.TargetStreams is not None:
        kids.append(_streams(task.TargetStreams.StreamList, f"{path}.TargetStreams", lazy))
    if task.ImageConfig is not None:
        kids.append(_image(task.ImageConfig, f"{path}.ImageConfig"))
    if task.StorageConfig is not None:
        kids.append(_storage(task.StorageConfig, f"{path}.StorageConfig"))
    return Node(path, "SnapshotTask", "", "", tuple(kids))


def _stop_reason(task: SnapshotTask, path: str) -> Node:
    key = f"{path}.StopReason"
    if task.StopReason is None:
        finished = task.Status is not None and task.Status.finished
        text = _("(empty)") if finished else _("none yet (not ended)")
        return _leaf(key, "StopReason", text, MUTED)
    raw = str(task.StopReason)
    if task.StopReason.known:
        meaning = translate(STOP_REASON_WORDS[task.StopReason])
        text = _("{code}: {meaning}").format(code=task.StopReason, meaning=meaning)
        return _leaf(key, "StopReason", text, "", raw)
    return _leaf(key, "StopReason", unknown_value(raw), UNKNOWN, raw)


def stream_summary(stream: Stream) -> str:
    user = clean(stream.UserId) if stream.UserId is not None else _("(no user)")
    kind = _("screen share") if stream.StreamType == StreamType.SCREEN else _("audio/video")
    if stream.StreamType is not None and not stream.StreamType.known:
        kind = _("stream type {n}").format(n=int(stream.StreamType))
    return f"{user} · {kind}"


# A folded list longer than this opens onto groups of this many streams, so opening it
# never builds more than a thousand rows at once, whatever the list's length.
GROUP = 1000


def _streams(streams: tuple[Stream, ...], path: str, lazy: bool = False) -> Node:
    key = f"{path}.StreamList"
    if not streams:
        listing = Node(key, "StreamList", _("empty: all streams in the room"), MUTED)
    else:
        count = ngettext("{n} stream", "{n} streams", len(streams)).format(n=f"{len(streams):,}")
        # A long list starts folded: nobody reads 10,000 streams at once.
        short = len(streams) <= 20
        if lazy and not short:
            load = _stream_loader(streams, key, 0, len(streams))
            listing = Node(key, "StreamList", count, "", expanded=False, load=load)
        else:
            items = tuple(_stream(s, f"{key}[{i}]", i) for i, s in enumerate(streams))
            listing = Node(key, "StreamList", count, "", items, expanded=short)
    return Node(path, "TargetStreams", listing.value, "", (listing,))


def _stream_loader(
    streams: tuple[Stream, ...], key: str, start: int, stop: int
) -> Callable[[], tuple[Node, ...]]:
    def load() -> tuple[Node, ...]:
        if stop - start <= GROUP:
            return tuple(_stream(streams[i], f"{key}[{i}]", i) for i in range(start, stop))
        groups = []
        for low in range(start, stop, GROUP):
            high = min(stop, low + GROUP)
            group_load = _stream_loader(streams, key, low, high)
            label = f"[{low}..{high - 1}]"
            groups.append(
                Node(f"{key}[{low}:{high}]", label, "", "", expanded=False, load=group_load)
            )
        return tuple(groups)

    return load


def stream_matches(streams: tuple[Stream, ...], needle: str) -> list[int]:
    """Indexes of the streams whose row mentions `needle` (case-insensitive), found in the
    model so that a search never builds a row it does not show."""
    needle = needle.casefold()
    found = []
    for i, stream in enumerate(streams):
        text = f"[{i}] {stream_summary(stream)} {stream.Index}"
        if needle in text.casefold():
            found.append(i)
    return found


def stream_key(path: str, index: int, count: int) -> list[str]:
    """The keys to open, top down, to reach stream `index` of a lazy list of `count`."""
    keys = [path]
    if count > GROUP:
        low = index - index % GROUP
        keys.append(f"{path}[{low}:{min(count, low + GROUP)}]")
    keys.append(f"{path}[{index}]")
    return keys


def _stream(stream: Stream, path: str, position: int) -> Node:
    kids = []
    if stream.Index is not None:
        kids.append(_leaf(f"{path}.Index", "Index", str(stream.Index), "", stream.Index))
    if stream.UserId is not None:
        kids.append(_leaf(f"{path}.UserId", "UserId", clean(stream.UserId), "", stream.UserId))
    if stream.StreamType is not None:
        words, tone = coded(stream.StreamType, STREAM_TYPE_WORDS)
        kids.append(_leaf(f"{path}.StreamType", "StreamType", words, tone, stream.StreamType))
    summary = stream_summary(stream)
    return Node(path, f"[{position}]", summary, "", tuple(kids), expanded=False)


def _image(image: ImageConfig, path: str) -> Node:
    kids = []
    if image.Format is not None:
        words, tone = coded(image.Format, FORMAT_WORDS)
        kids.append(_leaf(f"{path}.Format", "Format", words, tone, image.Format))
    if image.Width is not None:
        kids.append(_leaf(f"{path}.Width", "Width", _pixels(image.Width), "", image.Width))
    if image.Height is not None:
        kids.append(_leaf(f"{path}.Height", "Height", _pixels(image.Height), "", image.Height))
    if image.Interval is not None:
        every = _("every {n} s").format(n=image.Interval)
        kids.append(_leaf(f"{path}.Interval", "Interval", every, "", image.Interval))
    return Node(path, "ImageConfig", image_summary(image), "", tuple(kids))


def image_summary(image: ImageConfig) -> str:
    """'JPEG 800x800, every 2 s'; a 0 side reads as the stream's own size."""
    parts = []
    if image.Format is not None:
        name = FORMAT_WORDS.get(image.Format)
        parts.append(name or _("format {n}").format(n=int(image.Format)))
    if image.Width is not None or image.Height is not None:
        width, height = image.Width or 0, image.Height or 0
        auto = _("auto")
        size = f"{width or auto}x{height or auto}" if width or height else _("stream size")
        parts.append(size)
    text = " ".join(parts)
    if image.Interval is not None:
        every = _("every {n} s").format(n=image.Interval)
        text = _("{image}, {every}").format(image=text, every=every) if text else every
    return text


def region_text(table: list[str] | None, code: int, fallback: str) -> tuple[str, str]:
    if table is not None and 0 <= code < len(table):
        return f"{table[code]} ({code})", ""
    text = _("{store} region #{code}").format(store=fallback, code=code)
    return text, UNKNOWN if table is not None else ""


def _custom_region(custom: CustomConfig, code: int) -> tuple[str, str]:
    vendor = custom.Vendor if custom.Vendor is not None else Vendor.AMAZON_S3
    words = VENDOR_WORDS.get(vendor)
    name = translate(words) if words else _("vendor {n}").format(n=int(vendor))
    text, tone = region_text(endpoints.VENDOR_REGIONS.get(int(vendor)), code, name)
    if vendor == Vendor.AMAZON_S3 and code in endpoints.S3_UNSUPPORTED:
        text = _("{region}, listed as unsupported").format(region=text)
    return text, tone


def _storage(storage: StorageConfig, path: str) -> Node:
    kids = []
    active = STORAGE_CONFIG_OF.get(storage.Type) if storage.Type is not None else None
    if storage.Type is not None:
        words, tone = coded(storage.Type, STORAGE_WORDS)
        kids.append(_leaf(f"{path}.Type", "Type", words, tone, storage.Type))
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
            kids.append(Node(key, name, _("in use"), ACTIVE, fields))
        else:
            kids.append(Node(key, name, _("not used"), MUTED, fields, expanded=False))
    summary = ""
    if storage.Type is not None:
        known = STORAGE_WORDS.get(storage.Type)
        summary = translate(known) if known else _("type {n}").format(n=int(storage.Type))
    return Node(path, "StorageConfig", summary, "", tuple(kids))


def _storage_fields(config: StoreConfig, path: str) -> list[Node]:
    out = []
    for name in type(config).__match_args__:
        value = getattr(config, name)
        if value is None:
            continue
        key = f"{path}.{name}"
        if name == "Region":
            out.append(_leaf(key, name, *_region_of(config, value), value))
        elif name == "Vendor":
            out.append(_leaf(key, name, *coded(value, VENDOR_WORDS), value))
        elif name == "StorageClass":
            out.append(_leaf(key, name, *coded(value, STORAGE_CLASS_WORDS), value))
        elif isinstance(value, bool):
            out.append(_leaf(key, name, _("yes") if value else _("no"), "", value))
        else:
            out.append(_leaf(key, name, clean(str(value)), "", value))
    return out


def _region_of(config: StoreConfig, code: int) -> tuple[str, str]:
    if isinstance(config, TosConfig):
        return region_text(endpoints.TOS_REGIONS, code, translate(STORAGE_WORDS[StorageType.TOS]))
    if isinstance(config, VodConfig):
        return region_text(endpoints.VOD_REGIONS, code, translate(STORAGE_WORDS[StorageType.VOD]))
    if isinstance(config, CustomConfig):
        return _custom_region(config, code)
    return _veimagex_region(code)


def _veimagex_region(code: int) -> tuple[str, str]:
    """The API page gives VeImageX no region table, only that 0 is the default."""
    if code == 0:
        return _("default region (0)"), ""
    return _("VeImageX region #{code} (not in the API page)").format(code=code), UNKNOWN
