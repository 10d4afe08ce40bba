"""Load on the running topology (bin/cluster): PMs and leads browsing, and deliverables signed.

A bounded asyncio client (aiohttp): ``--users`` simulated people, half logged in as the demo PM
and half as the demo customer lead, each requesting their pages one after the other as fast as
the site answers (a closed loop, so the load is bounded by the number of users), plus one signing
loop in which the PM starts and submits a new version of the project plan and the lead signs it
(typed name, consent, password), which makes the pdf worker render and seal a PDF each time.
After ``--seconds`` it prints the throughput, the p50/p95/p99 latency and the errors (any
unexpected status or failed request).

    bin/cluster &   # then, once it prints "Ready":
    .venv/bin/python bench/load.py [--base https://127.0.0.1:8443] [--users 16] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import re
import statistics
import time
from dataclasses import dataclass, field

import aiohttp
import yarl

PASSWORD = "Demo-2026!"  # noqa: S105 - the demo data's password
PROJECT = "/projects/HX-2026-001"
PLAN = f"{PROJECT}/deliverables/project_plan"
PAGES = {
    "pm": [
        "/dashboard/",
        "/projects/",
        f"{PROJECT}/",
        f"{PROJECT}/deliverables/",
        f"{PROJECT}/changes/",
        "/changes/",
        "/calendar/",
    ],
    "lead": ["/dashboard/", f"{PROJECT}/", f"{PROJECT}/deliverables/", f"{PLAN}/v2/", "/notifications/", "/calendar/"],
}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Results:
    timings: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    signed: int = 0
    elapsed: float = 0.0


class Person:
    def __init__(self, base: str, username: str, results: Results) -> None:
        self.base, self.username, self.results = base, username, results
        jar = aiohttp.CookieJar(unsafe=True)  # the site is addressed by IP on loopback
        self.session = aiohttp.ClientSession(
            cookie_jar=jar, connector=aiohttp.TCPConnector(ssl=False), timeout=aiohttp.ClientTimeout(total=60)
        )

    async def request(self, method: str, path: str, *, expect: int, data: dict | None = None) -> tuple[str, dict]:
        started = time.perf_counter()
        try:
            async with self.session.request(
                method, self.base + path, data=data, headers={"Referer": self.base + path}, allow_redirects=False
            ) as response:
                body = await response.text(errors="replace")
                status, headers = response.status, dict(response.headers)
        except (aiohttp.ClientError, TimeoutError) as error:
            self.results.errors.append(f"{method} {path}: {error!r}")
            return "", {}
        self.results.timings.append((time.perf_counter() - started) * 1000)
        if status != expect:
            self.results.errors.append(f"{method} {path}: {status}")
        return body, headers

    async def post_form(self, path: str, data: dict, *, expect: int = 302) -> dict:
        page, _headers = await self.request("GET", path, expect=200)
        token = TOKEN.search(page)
        _body, headers = await self.request(
            "POST", path, data={"csrfmiddlewaretoken": token.group(1) if token else "", **data}, expect=expect
        )
        return headers

    async def post(self, path: str, data: dict, *, expect: int = 302) -> dict:
        """A form post with the CSRF cookie's token (valid for every form of the session)."""
        cookie = self.session.cookie_jar.filter_cookies(yarl.URL(self.base)).get("csrftoken")
        token = {"csrfmiddlewaretoken": cookie.value} if cookie else {}
        _body, headers = await self.request("POST", path, data={**token, **data}, expect=expect)
        return headers

    async def login(self) -> None:
        await self.post_form("/accounts/login/", {"username": self.username, "password": PASSWORD})

    async def browse(self, until: float) -> None:
        for path in itertools.cycle(PAGES[self.username]):
            if time.monotonic() >= until:
                return
            await self.request("GET", path, expect=200)


async def _signing_loop(pm: Person, lead: Person, until: float) -> None:
    """The lead signs the version waiting (the demo's plan v2 first); the PM starts the next
    version (a copy of the latest) and submits it. Repeat."""
    version = f"{PLAN}/v2/"
    while time.monotonic() < until:
        await lead.post_form(version + "sign/", {"typed_name": "李静", "consent": "on", "password": PASSWORD})
        lead.results.signed += 1
        headers = await pm.post(f"{PLAN}/new/", {})
        match = re.search(r"/v(\d+)/edit/$", headers.get("Location", ""))
        if match is None:
            pm.results.errors.append(f"new version: redirected to {headers.get('Location')}")
            return
        version = f"{PLAN}/v{match.group(1)}/"
        await pm.request("GET", version, expect=200)
        await pm.post(version + "submit/", {})


async def _run(base: str, users: int, seconds: float) -> Results:
    results = Results()
    people = [Person(base, "pm" if n % 2 == 0 else "lead", results) for n in range(users)]
    signer_pm, signer_lead = Person(base, "pm", results), Person(base, "lead", results)
    everyone = [*people, signer_pm, signer_lead]
    try:
        for person in everyone:  # one after the other: logins are not what is measured
            await person.login()
        if results.errors:
            raise SystemExit("Could not log in: " + "; ".join(results.errors[:5]))
        results.timings.clear()
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(*(person.browse(until) for person in people), _signing_loop(signer_pm, signer_lead, until))
        results.elapsed = time.monotonic() - started
    finally:
        await asyncio.gather(*(person.session.close() for person in everyone))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="https://127.0.0.1:8443")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()

    results = asyncio.run(_run(args.base.rstrip("/"), args.users, args.seconds))
    timings = sorted(results.timings)
    percentiles = statistics.quantiles(timings, n=100)
    elapsed = results.elapsed
    print(f"{args.users} users + 1 signing pair for {elapsed:.0f} s against {args.base}")
    print(f"requests: {len(timings)}  throughput: {len(timings) / elapsed:.1f} req/s  signatures: {results.signed}")
    print(
        f"latency ms: p50 {statistics.median(timings):.0f}  p95 {percentiles[94]:.0f}  p99 {percentiles[98]:.0f}"
        f"  max {timings[-1]:.0f}"
    )
    print(f"errors: {len(results.errors)}")
    for error in results.errors[:20]:
        print(f"  {error}")


if __name__ == "__main__":
    main()
