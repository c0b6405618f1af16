"""The reference for the one-shot benchmark: the official `volcengine` SDK (volc-sdk-python)
making the same GetSnapshotTask call (import, sign, call), printing the body.

    python -m tests.bench.sdk_get URL APP_ID ROOM_ID TASK_ID   (keys from VOLC_ACCESSKEY/SECRETKEY)
"""

import os
import sys
from urllib.parse import urlsplit

from volcengine.ApiInfo import ApiInfo
from volcengine.base.Service import Service
from volcengine.Credentials import Credentials
from volcengine.ServiceInfo import ServiceInfo


def main() -> None:
    url, app_id, room_id, task_id = sys.argv[1:5]
    parts = urlsplit(url)
    info = ServiceInfo(
        parts.netloc,
        {"Accept": "application/json"},
        Credentials(
            os.environ["VOLC_ACCESSKEY"], os.environ["VOLC_SECRETKEY"], "rtc", "cn-north-1"
        ),
        10,
        10,
        scheme=parts.scheme,
    )
    api = {
        "GetSnapshotTask": ApiInfo(
            "GET", "/", {"Action": "GetSnapshotTask", "Version": "2023-11-01"}, {}, {}
        )
    }
    body = Service(info, api).get(
        "GetSnapshotTask", {"AppId": app_id, "RoomId": room_id, "TaskId": task_id}
    )
    sys.stdout.write(body)


if __name__ == "__main__":
    main()
