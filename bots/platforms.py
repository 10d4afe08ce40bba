"""What each platform expects: the markdown card, the signature, and how it says "refused".

- 企业微信 group robot: POST JSON {"msgtype": "markdown", "markdown": {"content": …}} to the
  webhook (the key is in its URL; no signature). Answer {"errcode": 0, "errmsg": "ok"}.
- 钉钉 custom robot, "加签": sign = urlencode(base64(HmacSHA256(key=secret,
  msg=timestamp_ms + "\\n" + secret))), added to the URL as &timestamp=…&sign=…; body
  {"msgtype": "markdown", "markdown": {"title": …, "text": …}}. Answer {"errcode": 0}.
- 飞书 custom bot, signature check: sign = base64(HmacSHA256(key=timestamp_s + "\\n" + secret,
  msg="")), sent in the body with "timestamp"; an interactive card with a markdown element.
  Answer {"code": 0} (older bots: {"StatusCode": 0}).
Every platform wants the timestamp within an hour of its own clock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .enums import Platform

TIMEOUT_SECONDS = 10
WECOM_LIMIT = 4096  # bytes of markdown content


class DeliveryRefused(Exception):
    """The platform did not take the message; the text is safe to show (never the URL)."""


@dataclass(frozen=True)
class Request:
    url: str
    body: bytes


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _truncate(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "…"


def request_build(*, platform: str, url: str, secret: str, title: str, text: str, now: float | None = None) -> Request:
    now = time.time() if now is None else now
    if platform == Platform.WECOM:
        content = _truncate(f"### {title}\n{text}", WECOM_LIMIT)
        payload: dict = {"msgtype": "markdown", "markdown": {"content": content}}
    elif platform == Platform.DINGTALK:
        payload = {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{text}"}}
        if secret:
            timestamp = int(now * 1000)
            query = urllib.parse.urlencode({"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)})
            url = f"{url}{'&' if '?' in url else '?'}{query}"
    elif platform == Platform.FEISHU:
        payload = {
            "msg_type": "interactive",
            "card": {
                "header": {"title": {"tag": "plain_text", "content": title}, "template": "blue"},
                "elements": [{"tag": "markdown", "content": text}],
            },
        }
        if secret:
            timestamp = int(now)
            payload = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **payload}
    else:
        raise ValueError(f"Unknown platform {platform!r}")
    return Request(url=url, body=json.dumps(payload, ensure_ascii=False).encode())


def _refusal(platform: str, answer: dict) -> str | None:
    """The platform's error in its answer, or None when it took the message."""
    if platform == Platform.FEISHU:
        code = answer.get("code", answer.get("StatusCode"))
        message = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code, message = answer.get("errcode"), answer.get("errmsg", "")
    if code == 0:
        return None
    return f"{code}: {message}"[:300]


def request_send(platform: str, request: Request) -> None:
    """POST the message; raises DeliveryRefused with a showable reason (never the URL)."""
    http = urllib.request.Request(
        request.url, data=request.body, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    try:
        with urllib.request.urlopen(http, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http/https checked on save)
            raw = response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryRefused(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryRefused(f"{type(reason).__name__}") from None
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise DeliveryRefused("not JSON") from None
    refusal = _refusal(platform, answer if isinstance(answer, dict) else {})
    if refusal is not None:
        raise DeliveryRefused(refusal)
