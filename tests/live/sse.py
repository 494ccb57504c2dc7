"""A Server-Sent Events reader for tests: a thread that keeps what one connection receives."""

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Received:
    id: str
    name: str
    data: dict[str, Any]
    at: float


@dataclass
class Stream:
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: httpx.Cookies | None = None
    events: list[Received] = field(default_factory=list)
    status: int = 0
    opened: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _response: httpx.Response | None = None

    def start(self) -> "Stream":
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self.opened.wait(30), f"the stream {self.url} did not open"
        return self

    def _read(self) -> None:
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(5, read=None), cookies=self.cookies) as client,
                client.stream("GET", self.url, headers=self.headers) as response,
            ):
                self._response = response
                self.status = response.status_code
                self.opened.set()
                current: dict[str, str] = {}
                for line in response.iter_lines():
                    if self._stop.is_set():
                        return
                    if not line:
                        if "event" in current:
                            data = json.loads(current.get("data", "{}"))
                            self.events.append(
                                Received(current.get("id", ""), current["event"], data, time.time())
                            )
                        current = {}
                    elif not line.startswith(":"):
                        key, _, value = line.partition(": ")
                        current[key] = value
        except (httpx.HTTPError, RuntimeError, AttributeError):
            pass  # closed by close(), or the server went away
        finally:
            self.opened.set()

    def named(self, name: str) -> list[Received]:
        return [e for e in self.events if e.name == name]

    def wait_for(self, name: str, test: Any = None, timeout: float = 5) -> Received:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.named(name):
                if test is None or test(event.data):
                    return event
            time.sleep(0.02)
        raise AssertionError(f"no {name!r} event on {self.url} in {timeout} s: {self.events}")

    def close(self) -> None:
        self._stop.set()
        if self._response is not None:
            self._response.close()
