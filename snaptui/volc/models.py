"""The GetSnapshotTask answer as frozen records.

Parsing never trusts the server: unknown enum values are kept and flagged,
missing or null optional fields become None, and a wrong type raises
MalformedResponseError naming the JSON path
(`SnapshotTask.TargetStreams.StreamList[0].Index`). Every string is cleaned here
(`SafeText`), so a model never holds terminal control characters, and no integer is so
big that arithmetic on it overflows (10**400 is malformed, not a crash).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping

from snaptui.i18n import N_, _, translate
from snaptui.volc.errors import MalformedResponseError
from snaptui.volc.record import Record
from snaptui.volc.safe_text import SafeText, clean

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _T = TypeVar("_T")

# The API's integers are 64-bit; bigger ones are kept (and shown as out of range) up to a
# size every later step can still do arithmetic on without overflowing a float.
INT_LIMIT = 10**100


class _OpenEnum:
    """Mixin: a value the docs do not list becomes a flagged pseudo-member, not an error."""

    _name_: str
    _value_: Any
    _member_type_: type

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, cls._member_type_):
            return None
        member: Any = cls._member_type_.__new__(cls, value)  # type: ignore[arg-type]
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member

    @property
    def known(self) -> bool:
        return self._name_ != "UNKNOWN"


class Status(_OpenEnum, enum.IntEnum):
    UNKNOWN_ABNORMAL = 0
    NOT_STARTED = 1
    RUNNING = 2
    ENDED = 3
    FAILED = 4

    @property
    def finished(self) -> bool:
        return self in (Status.ENDED, Status.FAILED)


class StopReason(_OpenEnum, enum.StrEnum):
    UNKNOWN_STOP_REASON = "UnknownStopReason"
    STOP_BY_API = "StopByAPI"
    START_TASK_FAILED = "StartTaskFailed"
    IDLE_TIMEOUT = "IdleTimeOut"
    USER_DISCONNECT = "UserDisconnect"


class StreamType(_OpenEnum, enum.IntEnum):
    NORMAL = 0
    SCREEN = 1


class Format(_OpenEnum, enum.IntEnum):
    JPEG = 0
    PNG = 1


class StorageType(_OpenEnum, enum.IntEnum):
    TOS = 0
    VOD = 1
    CUSTOM = 2
    VEIMAGEX = 3


class Vendor(_OpenEnum, enum.IntEnum):
    AMAZON_S3 = 0
    ALIBABA_OSS = 1
    HUAWEI_OBS = 2
    TENCENT_COS = 3
    QINIU_KODO = 4


class StorageClass(_OpenEnum, enum.IntEnum):
    STANDARD = 1
    ARCHIVE = 2
    INFREQUENT_ACCESS = 3


class Stream(Record):
    Index: int | None
    UserId: SafeText | None
    StreamType: StreamType | None


class TargetStreams(Record):
    StreamList: tuple[Stream, ...]


class ImageConfig(Record):
    Format: Format | None
    Width: int | None
    Height: int | None
    Interval: int | None


class TosConfig(Record):
    AccountId: SafeText | None
    Region: int | None
    Bucket: SafeText | None


class VodConfig(Record):
    AccountId: SafeText | None
    Region: int | None
    Space: SafeText | None
    StorageClass: StorageClass | None
    AutoSetFileExtension: bool | None


class CustomConfig(Record):
    """Third-party storage. Its AccessKey/SecretKey are never kept, even if a server sends them."""

    Vendor: Vendor | None
    Region: int | None
    Bucket: SafeText | None


class VeImageXConfig(Record):
    AccountId: SafeText | None
    Region: int | None
    ServiceId: SafeText | None


class StorageConfig(Record):
    Type: StorageType | None
    TosConfig: TosConfig | None
    VodConfig: VodConfig | None
    CustomConfig: CustomConfig | None
    VeImageXConfig: VeImageXConfig | None


class SnapshotTask(Record):
    StartTime: int | None
    EndTime: int | None
    Status: Status | None
    StopReason: StopReason | None
    TargetStreams: TargetStreams | None
    MaxIdleTime: int | None
    ImageConfig: ImageConfig | None
    StorageConfig: StorageConfig | None


class ApiErrorInfo(Record):
    Code: SafeText
    CodeN: int | None
    Message: SafeText


class ResponseMetadata(Record):
    RequestId: SafeText | None
    Action: SafeText | None
    Version: SafeText | None
    Service: SafeText | None
    Region: SafeText | None
    Error: ApiErrorInfo | None


class TaskResult(Record):
    metadata: ResponseMetadata
    task: SnapshotTask


# --- parsing -----------------------------------------------------------------


class _Reader:
    """Reads one JSON object, naming the path of whatever is wrong."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise _shape(path, N_("an object"), data)
        self.data = data
        self.path = path

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str) -> object:
        return self.data.get(key)

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        # bool is an int in Python but never in this API: `type(...) is int` excludes it.
        if type(value) is int and -INT_LIMIT <= value <= INT_LIMIT:
            return value
        if value is None:
            return None
        expected = N_("an integer of a sane size") if type(value) is int else N_("an integer")
        raise _shape(self._at(key), expected, value)

    def string(self, key: str) -> SafeText | None:
        value = self.data.get(key)
        if type(value) is str:
            return clean(value)
        if value is None:
            return None
        raise _shape(self._at(key), N_("a string"), value)

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise _shape(self._at(key), N_("true or false"), value)
        return value

    def enum(self, key: str, kind: type[_T]) -> _T | None:
        raw = self.integer(key)
        return None if raw is None else kind(raw)  # type: ignore[call-arg]

    def child(self, key: str) -> _Reader | None:
        value = self.data.get(key)
        return None if value is None else _Reader(value, self._at(key))

    def read(self, key: str, build: Callable[[_Reader], _T]) -> _T | None:
        """The object at key built by `build`, or None when it is missing or null."""
        child = self.child(key)
        return None if child is None else build(child)

    def items(self, key: str) -> list[_Reader]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise _shape(self._at(key), N_("a list"), value)
        return [_Reader(item, f"{self._at(key)}[{i}]") for i, item in enumerate(value)]


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int) and not -INT_LIMIT <= value <= INT_LIMIT:
        return _("a number out of range")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, Mapping):
        return _("an object")
    return type(value).__name__


def _shape(path: str, expected: str, got: object) -> MalformedResponseError:
    return MalformedResponseError(
        _("malformed response: {path} should be {expected}, got {got}").format(
            path=path or _("body"), expected=translate(expected), got=_type_name(got)
        ),
        path=path,
    )


def _stream(r: _Reader) -> Stream:
    return Stream(r.integer("Index"), r.string("UserId"), r.enum("StreamType", StreamType))


def _storage(r: _Reader) -> StorageConfig:
    return StorageConfig(
        Type=r.enum("Type", StorageType),
        TosConfig=r.read("TosConfig", _tos),
        VodConfig=r.read("VodConfig", _vod),
        CustomConfig=r.read("CustomConfig", _custom),
        VeImageXConfig=r.read("VeImageXConfig", _imagex),
    )


def _tos(r: _Reader) -> TosConfig:
    return TosConfig(r.string("AccountId"), r.integer("Region"), r.string("Bucket"))


def _vod(r: _Reader) -> VodConfig:
    return VodConfig(
        r.string("AccountId"),
        r.integer("Region"),
        r.string("Space"),
        r.enum("StorageClass", StorageClass),
        r.boolean("AutoSetFileExtension"),
    )


def _custom(r: _Reader) -> CustomConfig:
    return CustomConfig(r.enum("Vendor", Vendor), r.integer("Region"), r.string("Bucket"))


def _imagex(r: _Reader) -> VeImageXConfig:
    return VeImageXConfig(r.string("AccountId"), r.integer("Region"), r.string("ServiceId"))


def _streams(r: _Reader) -> TargetStreams:
    return TargetStreams(tuple(_stream(s) for s in r.items("StreamList")))


def _image(r: _Reader) -> ImageConfig:
    return ImageConfig(
        r.enum("Format", Format), r.integer("Width"), r.integer("Height"), r.integer("Interval")
    )


def _error(r: _Reader) -> ApiErrorInfo:
    return ApiErrorInfo(
        Code=r.string("Code") or SafeText("UnknownError"),
        CodeN=r.integer("CodeN"),
        Message=r.string("Message") or SafeText(""),
    )


def parse_task(data: object, path: str = "SnapshotTask") -> SnapshotTask:
    r = _Reader(data, path)
    stop_reason = r.string("StopReason")
    return SnapshotTask(
        StartTime=r.integer("StartTime"),
        EndTime=r.integer("EndTime"),
        Status=r.enum("Status", Status),
        StopReason=StopReason(stop_reason) if stop_reason else None,
        TargetStreams=r.read("TargetStreams", _streams),
        MaxIdleTime=r.integer("MaxIdleTime"),
        ImageConfig=r.read("ImageConfig", _image),
        StorageConfig=r.read("StorageConfig", _storage),
    )


def parse_metadata(data: object) -> ResponseMetadata:
    r = _Reader(data, "ResponseMetadata")
    return ResponseMetadata(
        RequestId=r.string("RequestId"),
        Action=r.string("Action"),
        Version=r.string("Version"),
        Service=r.string("Service"),
        Region=r.string("Region"),
        Error=r.read("Error", _error),
    )


def read_metadata(body: object) -> ResponseMetadata:
    """The ResponseMetadata of a decoded body (empty when there is none)."""
    return parse_metadata(_Reader(body, "").raw("ResponseMetadata") or {})


def parse(body: object, metadata: ResponseMetadata | None = None) -> TaskResult:
    """A successful answer's task. An answer without one (an error answer included) is
    malformed here: deciding that an answer is an error is `interpret()`'s job, before this."""
    top = _Reader(body, "")
    if metadata is None:
        metadata = read_metadata(body)
    result = top.child("Result")
    task = result.raw("SnapshotTask") if result is not None else None
    if task is None:
        raise MalformedResponseError(
            _("malformed response: no Result.SnapshotTask in a successful answer"),
            path="Result.SnapshotTask",
            request_id=metadata.RequestId,
        )
    try:
        return TaskResult(metadata, parse_task(task))
    except MalformedResponseError as exc:
        exc.request_id = metadata.RequestId
        raise
