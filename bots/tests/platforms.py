"""A local HTTP server playing WeCom, DingTalk and Feishu: it checks each platform's documented
signature itself (written here from the platforms' documents, not imported from bots) and
answers the way each platform does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_TOKEN = "d1n9t0k3n"
DINGTALK_SECRET = "SECd41b1d0b6a4f3e2c1b0a99887766554433221100ffeeddccbbaa"
FEISHU_HOOK = "2f0c4b1e-feed-4e0b-9bd6-7c3c2b8d1a11"
FEISHU_SECRET = "fe1shu-s3cr3t-f0r-t3sts"


class PlatformServer:
    def __init__(self) -> None:
        self.received: list[dict] = []
        self.fail_next = 0  # answer HTTP 500 this many times
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                payload = json.loads(body)
                server.received.append({"path": url.path, "query": query, "payload": payload})
                if server.fail_next > 0:
                    server.fail_next -= 1
                    self._answer(500, {"error": "busy"})
                    return
                self._answer(200, server.answer(url.path, query, payload))

            def _answer(self, status: int, answer: dict) -> None:
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, platform: str) -> str:
        return {
            "wecom": f"{self.base}/cgi-bin/webhook/send?key={WECOM_KEY}",
            "dingtalk": f"{self.base}/robot/send?access_token={DINGTALK_TOKEN}",
            "feishu": f"{self.base}/open-apis/bot/v2/hook/{FEISHU_HOOK}",
        }[platform]

    # --- what each platform checks --------------------------------------------------------------
    def answer(self, path: str, query: dict, payload: dict) -> dict:
        if path == "/cgi-bin/webhook/send":
            if query.get("key") != WECOM_KEY:
                return {"errcode": 93000, "errmsg": "invalid webhook url"}
            ok = payload.get("msgtype") == "markdown" and len(payload["markdown"]["content"].encode()) <= 4096
            return {"errcode": 0, "errmsg": "ok"} if ok else {"errcode": 40008, "errmsg": "invalid message type"}
        if path == "/robot/send":
            if query.get("access_token") != DINGTALK_TOKEN:
                return {"errcode": 300001, "errmsg": "token is not exist"}
            timestamp = query.get("timestamp", "0")
            # 钉钉: HmacSHA256 keyed with the secret over "timestamp\nsecret", Base64 (URL-decoded here).
            expected = base64.b64encode(
                hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256).digest()
            ).decode()
            if abs(int(timestamp) / 1000 - time.time()) > 3600:
                return {"errcode": 310000, "errmsg": "sign not match, timestamp is too old"}
            if query.get("sign") != expected:
                return {"errcode": 310000, "errmsg": "sign not match"}
            return {"errcode": 0, "errmsg": "ok"}
        if path == f"/open-apis/bot/v2/hook/{FEISHU_HOOK}":
            timestamp = payload.get("timestamp", "0")
            # 飞书: HmacSHA256 keyed with "timestamp\nsecret" over an empty message, Base64.
            expected = base64.b64encode(
                hmac.new(f"{timestamp}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
            ).decode()
            if payload.get("sign") != expected or abs(int(timestamp) - time.time()) > 3600:
                return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
            if payload.get("msg_type") != "interactive":
                return {"code": 19002, "msg": "params error"}
            return {"code": 0, "msg": "success", "data": {}}
        return {"errcode": 404, "errmsg": "no such robot"}

    def __enter__(self) -> PlatformServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
