"""The production topology, started by bin/cluster from deploy/: a journey through nginx.

The customer lead signs a deliverable on one app instance; the pdf worker seals the PDF into the
S3 store; the signed PDF is downloaded through the other instance. Also checks what nginx and
WhiteNoise add: compression of pages, immutable caching of hashed static files.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("CLUSTER_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/delivery_cluster_test")
PASSWORD = "Demo-2026!"  # noqa: S105 - the demo data's password
VERSION = "/projects/HX-2026-001/deliverables/project_plan/v2/"
START_SECONDS = 900  # a fresh machine installs nginx and Redis first


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _drop_database() -> None:
    server, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class Cluster:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        ports = {
            name: os.environ.get(f"CLUSTER_{name}") for name in ("HTTPS_PORT", "HTTP_PORT", "REDIS_PORT", "S3_PORT")
        }
        self.https_port = int(ports["HTTPS_PORT"] or _free_port())
        self.s3_port = int(ports["S3_PORT"] or _free_port())
        self.web_ports = (os.environ.get("CLUSTER_WEB_PORTS") or f"{_free_port()} {_free_port()}").split()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))},
            "CLUSTER_DIR": str(directory),
            "CLUSTER_HTTPS_PORT": str(self.https_port),
            "CLUSTER_HTTP_PORT": ports["HTTP_PORT"] or str(_free_port()),
            "CLUSTER_WEB_PORTS": " ".join(self.web_ports),
            "CLUSTER_REDIS_PORT": ports["REDIS_PORT"] or str(_free_port()),
            "CLUSTER_S3_PORT": str(self.s3_port),
            "CLUSTER_DATABASE_URL": DATABASE_URL,
            "CLUSTER_FRESH_DATABASE": "1",  # bin/cluster starts PostgreSQL first if it is not running
        }
        self.base = f"https://127.0.0.1:{self.https_port}"
        context = ssl.create_default_context(cafile=None)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the cluster's certificate is self-signed
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path, **(headers or {})}
        )
        try:
            return self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as response:  # redirects and errors: the response itself
            return response

    def form_post(self, path: str, data: dict):
        page = self.request(path).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(path, {"csrfmiddlewaretoken": token, **data})

    def wait_served_by(self, method: str, path: str) -> str:
        """The one instance that logged ``method path`` (gunicorn logs once the response is sent)."""
        for _ in range(50):
            if served := self.served_by(method, path):
                [port] = served
                return port
            time.sleep(0.1)
        raise AssertionError(f"No instance logged {method} {path}.\n{self.log_tails()}")

    def log_tails(self) -> str:
        return "\n".join(
            f"--- web-{port}\n"
            + "\n".join((self.directory / "logs" / f"web-{port}.log").read_text().splitlines()[-15:])
            for port in self.web_ports
        )

    def served_by(self, method: str, path: str) -> list[str]:
        """The web instances whose access log shows ``method path``."""
        line = f'"{method} {path} '
        return [
            port
            for port in self.web_ports
            if line in (self.directory / "logs" / f"web-{port}.log").read_text(errors="replace")
        ]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    output = open(cluster.directory / "cluster.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        ["bash", str(ROOT / "bin" / "cluster")],
        cwd=ROOT,
        env=cluster.env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while "Ready:" not in (cluster.directory / "cluster.log").read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("bin/cluster did not start:\n" + (cluster.directory / "cluster.log").read_text()[-3000:])
            time.sleep(1)
        yield cluster
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=120)
        output.close()
        _drop_database()


@pytest.mark.slow
def test_sign_on_one_instance_and_download_the_sealed_pdf_through_the_other(cluster):
    login = cluster.form_post("/accounts/login/", {"username": "lead", "password": PASSWORD})
    assert login.status == 302

    signed = cluster.form_post(VERSION + "sign/", {"typed_name": "李静", "consent": "on", "password": PASSWORD})

    assert signed.status == 302
    assert signed.headers["Location"] == VERSION
    signing_instance = cluster.wait_served_by("POST", VERSION + "sign/")
    # The pdf worker renders and seals the PDF into the S3 store; until then the view serves a preview.
    downloads: dict[str, bytes] = {}
    deadline, attempt = time.monotonic() + 300, 0
    while set(downloads) != set(cluster.web_ports) and time.monotonic() < deadline:
        attempt += 1
        path = f"{VERSION}pdf/?attempt={attempt}"  # names this request in the access log
        response = cluster.request(path)
        body = response.read()
        if response.status == 200 and response.headers["Content-Disposition"].startswith("attachment"):
            downloads.setdefault(cluster.wait_served_by("GET", path), body)
        else:
            time.sleep(1)
    other = next(port for port in cluster.web_ports if port != signing_instance)

    assert other in downloads, cluster.log_tails()
    assert downloads[other][:5] == b"%PDF-"
    assert b"/ByteRange" in downloads[other]  # sealed (PAdES signature)
    assert downloads[other] == downloads.get(signing_instance, downloads[other])
    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{cluster.s3_port}",
        region_name="us-east-1",
        aws_access_key_id="cluster",
        aws_secret_access_key="cluster-secret",
    )
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="delivery-media")["Contents"]]
    assert [key for key in keys if key.startswith("signed/") and key.endswith("project_plan-v2.pdf")]


@pytest.mark.slow
def test_nginx_compresses_pages_and_static_files_are_cached_for_good(cluster):
    page = cluster.request("/accounts/login/", headers={"Accept-Encoding": "br, gzip"})
    html_encoding = page.headers["Content-Encoding"]
    login_html = cluster.request("/accounts/login/").read().decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', login_html).group(1)

    static = cluster.request(stylesheet, headers={"Accept-Encoding": "br"})

    assert page.status == 200
    assert html_encoding == "br"
    assert static.status == 200
    assert static.headers["Content-Encoding"] == "br"
    assert static.headers["Cache-Control"] == "max-age=315360000, public, immutable"
