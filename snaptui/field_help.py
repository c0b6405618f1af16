"""What each field of a SnapshotTask means, as the API page says it.

The Chinese is the page's own wording (in the catalog); the English is a translation of
it. Keyed by the JSON path without indexes, so every stream's `UserId` has one entry.
"""

from __future__ import annotations

import re

from snaptui.i18n import N_, translate

_TASK = "SnapshotTask"
_STREAM = f"{_TASK}.TargetStreams.StreamList"
_IMAGE = f"{_TASK}.ImageConfig"
_STORAGE = f"{_TASK}.StorageConfig"

_ACCOUNT_ID = N_(
    "The Volcengine account ID, e.g. 200000000. It is the main account's ID: also when "
    "the OpenAPI request is signed with a sub-user's AK and SK, it must be the main "
    "account's ID, never a sub-user's."
)
_REGION = N_(
    "Each storage platform supports its own regions: see the API's region table. 0 by default."
)
_BUCKET = N_("The bucket's name.")

FIELD_HELP: dict[str, str] = {
    _TASK: N_("The snapshot (frame-capture) task."),
    f"{_TASK}.StartTime": N_("When the task started: a Unix timestamp in milliseconds."),
    f"{_TASK}.EndTime": N_(
        "When the task ended: a Unix timestamp in milliseconds. 0 means it has not ended."
    ),
    f"{_TASK}.Status": N_(
        "The task's status. 0: unknown abnormal state; 1: not started; 2: running; "
        "3: ended; 4: the task failed."
    ),
    f"{_TASK}.StopReason": N_(
        "Why the task stopped. Empty: the task has not ended; UnknownStopReason: unknown "
        "reason; StopByAPI: stopped by a call to the server-side OpenAPI; "
        "StartTaskFailed: the task failed to start; IdleTimeOut: the task went over its "
        "maximum idle time; UserDisconnect: in an automatic snapshot task, the client "
        "user of the task left the room."
    ),
    f"{_TASK}.$Elapsed": N_(
        "Worked out from StartTime and EndTime (while running: from StartTime until now); "
        "not a field of the answer."
    ),
    f"{_TASK}.TargetStreams": N_("The video streams to take snapshots of."),
    _STREAM: N_(
        "The list of streams (Stream); it may be empty. Empty means every stream in the "
        "room. Within one StreamList, Stream.Index is never repeated."
    ),
    f"{_STREAM}.Index": N_(
        "Identifies the stream in a custom layout: Layout.regions.StreamIndex names the "
        "stream's layout by this Index."
    ),
    f"{_STREAM}.UserId": N_("The user ID: the user this stream belongs to."),
    f"{_STREAM}.StreamType": N_(
        "The stream's type. 0: a normal audio/video stream; 1: a screen stream. 0 by default."
    ),
    f"{_TASK}.MaxIdleTime": N_("The task's maximum idle time before it times out."),
    _IMAGE: N_("Image settings: format, size and the interval between snapshots."),
    f"{_IMAGE}.Format": N_("The image format. 0: JPEG; 1: PNG. 0 by default."),
    f"{_IMAGE}.Width": N_(
        "The width of the video frame used, from 0 to 1920 pixels. 0 (the default) means "
        "the stream's own width."
    ),
    f"{_IMAGE}.Height": N_(
        "The height of the video frame used, from 0 to 1920 pixels. 0 (the default) means "
        "the stream's own height."
    ),
    f"{_IMAGE}.Interval": N_(
        "The time between two snapshots, from 1 to 600 seconds. 2 by default."
    ),
    _STORAGE: N_("The storage platform's settings. The AK and SK fields are not returned."),
    f"{_STORAGE}.Type": N_(
        "The storage platform. 0: Volcengine object storage TOS; 1: Volcengine video on "
        "demand VOD; 2: a third-party store supporting the S3 protocol; 3: VeImageX (for "
        "now frame capture only). 0 by default."
    ),
    f"{_STORAGE}.TosConfig": N_(
        "TOS settings. When Type = 0, TosConfig must be set correctly, or the request fails."
    ),
    f"{_STORAGE}.TosConfig.AccountId": _ACCOUNT_ID,
    f"{_STORAGE}.TosConfig.Region": _REGION,
    f"{_STORAGE}.TosConfig.Bucket": _BUCKET,
    f"{_STORAGE}.VodConfig": N_(
        "VOD settings. When Type = 1, VodConfig must be set correctly, or the request fails."
    ),
    f"{_STORAGE}.VodConfig.AccountId": _ACCOUNT_ID,
    f"{_STORAGE}.VodConfig.Region": _REGION,
    f"{_STORAGE}.VodConfig.Space": N_("The VOD space's name."),
    f"{_STORAGE}.VodConfig.StorageClass": N_(
        "The storage class of the files uploaded to VOD. 1: standard; 2: archive; "
        "3: infrequent access. 1 by default."
    ),
    f"{_STORAGE}.VodConfig.AutoSetFileExtension": N_(
        "Whether FileExtension is set from the file's suffix on upload to VOD. true: yes; "
        "false: no. false by default."
    ),
    f"{_STORAGE}.CustomConfig": N_(
        "Third-party storage settings. When Type = 2, CustomConfig must be set correctly, "
        "or the request fails."
    ),
    f"{_STORAGE}.CustomConfig.Vendor": N_(
        "The third-party cloud store. 0: Amazon S3; 1: Alibaba Cloud OSS; 2: Huawei Cloud "
        "OBS; 3: Tencent Cloud COS; 4: Qiniu Kodo. 0 by default."
    ),
    f"{_STORAGE}.CustomConfig.Region": _REGION,
    f"{_STORAGE}.CustomConfig.Bucket": _BUCKET,
    f"{_STORAGE}.VeImageXConfig": N_(
        "VeImageX settings. When Type = 3, VeImageXConfig must be set correctly, or the "
        "request fails."
    ),
    f"{_STORAGE}.VeImageXConfig.AccountId": _ACCOUNT_ID,
    f"{_STORAGE}.VeImageXConfig.Region": _REGION,
    f"{_STORAGE}.VeImageXConfig.ServiceId": N_(
        "The service ID: on the veImageX console's service management page, from the "
        "image service you created, or through the OpenAPI."
    ),
}

# `[3]` for one stream, `[1000:2000]` for a group of them.
_INDEX = re.compile(r"\[\d+(?::\d+)?\]")


def describe_field(key: str) -> str:
    """The meaning of the field at `key` (a node's JSON path, indexes and all) in the
    current language; '' for a key the API page does not describe."""
    message = FIELD_HELP.get(_INDEX.sub("", key))
    return translate(message) if message else ""
