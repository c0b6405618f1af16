"""Known endpoints, their signing regions, and the storage Region code tables."""

from __future__ import annotations

from urllib.parse import urlsplit

from snaptui.i18n import _
from snaptui.volc.errors import InvalidEndpointError
from snaptui.volc.record import Record
from snaptui.volc.safe_text import clean

SERVICE = "rtc"
# Seconds a whole call may take, retries included.
DEFAULT_TIMEOUT = 10.0
ACTION = "GetSnapshotTask"
VERSION = "2023-11-01"


class Endpoint(Record):
    url: str
    region: str
    name: str = "custom"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


PRESETS: dict[str, Endpoint] = {
    "volcengine": Endpoint("https://rtc.volcengineapi.com", "cn-north-1", "volcengine"),
    "volcengine-intl": Endpoint(
        "https://open-ap-singapore-1.volcengineapi.com", "ap-singapore-1", "volcengine-intl"
    ),
    "byteplus": Endpoint("https://open.byteplusapi.com", "ap-singapore-1", "byteplus"),
}
DEFAULT_PRESET = "volcengine"

# The two regions the docs disagree on for the overseas endpoint.
ALTERNATE_REGIONS = {"ap-singapore-1": "ap-southeast-1", "ap-southeast-1": "ap-singapore-1"}


# A signing region is a short lowercase name such as cn-north-1.
_REGION_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_HOST_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-")


def is_valid_region(region: str) -> bool:
    return 1 <= len(region) <= 63 and region[0] != "-" and _REGION_CHARS.issuperset(region)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1, or the name localhost itself (a subdomain of it is whatever the
    resolver says, so it does not count)."""
    if host == "localhost":
        return True
    import ipaddress  # only for a URL endpoint: presets never need it

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_region(region: str) -> str:
    if not is_valid_region(region):
        raise InvalidEndpointError(
            _(
                "invalid region {region}: expected a name such as cn-north-1 "
                "(lowercase letters, digits and -)"
            ).format(region=repr(clean(region)))
        )
    return region


def resolve_endpoint(preset_or_url: str | None = None, region: str | None = None) -> Endpoint:
    """A preset name or a URL, plus an optional region override. https unless loopback."""
    choice = preset_or_url or DEFAULT_PRESET
    if region is not None:
        check_region(region)
    if choice in PRESETS:
        preset = PRESETS[choice]
        return Endpoint(preset.url, region or preset.region, preset.name)
    if "://" not in choice:
        names = ", ".join(PRESETS)
        raise InvalidEndpointError(
            _("unknown endpoint {name}: use one of {names}, or a URL").format(
                name=repr(clean(choice)), names=names
            )
        )
    try:
        url = urlsplit(choice)
        port = url.port  # raises on a port that is not a number
        host = url.hostname or ""
    except ValueError:
        raise InvalidEndpointError(
            _("invalid endpoint URL: the host or port cannot be read (a port is a number)")
        ) from None
    # The URL may hold a password: never repeat it, name the host at most.
    if url.username is not None or url.password is not None:
        raise InvalidEndpointError(
            _(
                "the endpoint URL must not hold a user name or password (keys are sent signed, "
                "never in the URL)"
            )
        )
    shown_host = clean(host)
    if not ((1 <= len(host) <= 253 and _HOST_CHARS.issuperset(host)) or ":" in host):
        raise InvalidEndpointError(
            _("invalid host name in the endpoint URL: {host}").format(host=repr(shown_host))
        )
    if url.scheme not in ("http", "https") or not host:
        raise InvalidEndpointError(
            _("invalid endpoint URL {url}: expected http(s)://host[:port]").format(
                url=repr(clean(choice))
            )
        )
    if url.scheme == "http" and not is_loopback(host):
        raise InvalidEndpointError(
            _(
                "refusing plain http to {host}: credentials need https (http is only "
                "allowed for loopback hosts such as 127.0.0.1)"
            ).format(host=shown_host)
        )
    if url.query or url.fragment or url.path not in ("", "/"):
        raise InvalidEndpointError(
            _("endpoint URL {url} must not carry a path, query or fragment").format(
                url=repr(clean(choice))
            )
        )
    shown = f"[{host}]" if ":" in host else host
    netloc = f"{shown}:{port}" if port is not None else shown
    return Endpoint(f"{url.scheme}://{netloc}", region or "cn-north-1")


# Storage Region integer codes, from the RTC docs appendix.
TOS_REGIONS = ["cn-beijing", "cn-guangzhou", "cn-shanghai", "ap-southeast-1 (Johor)"]
VOD_REGIONS = ["cn-north-1", "ap-southeast-1"]
S3_REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "eu-central-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2",
    "sa-east-1", "ca-central-1", "ap-south-1", "cn-north-1", "cn-northwest-1", "us-gov-east-1",
    "ap-east-1", "eu-south-1", "ap-northeast-3", "eu-north-1", "me-south-1", "us-gov-west-1",
    "af-south-1",
]  # fmt: skip
S3_UNSUPPORTED = frozenset({7, 9, 17, 23})
OSS_REGIONS = [
    "oss-cn-hangzhou", "oss-cn-shanghai", "oss-cn-qingdao", "oss-cn-beijing",
    "oss-cn-zhangjiakou", "oss-cn-huhehaote", "oss-cn-wulanchabu", "oss-cn-shenzhen",
    "oss-cn-heyuan", "oss-cn-guangzhou", "oss-cn-chengdu", "oss-cn-hongkong", "oss-us-west-1",
    "oss-us-east-1", "oss-ap-southeast-1", "oss-ap-southeast-2", "oss-ap-southeast-3",
    "oss-ap-southeast-5", "oss-ap-northeast-1", "oss-ap-south-1", "oss-eu-central-1",
    "oss-eu-west-1", "oss-me-east-1", "oss-ap-southeast-6",
]  # fmt: skip

# Vendor code -> its region table (None: table not published).
VENDOR_REGIONS: dict[int, list[str] | None] = {
    0: S3_REGIONS,
    1: OSS_REGIONS,
    2: None,
    3: None,
    4: None,
}
