"""Limits on password guessing and on the memory anonymous logins can take.

Wrong passwords are counted per client address and for the whole server. An address that
has given ``per_address`` wrong passwords within ``window`` seconds is refused — before its
password is even checked, so the right one does not get in either — for a delay that
doubles with each further lockout (1 minute, 2, 4, … up to an hour). When ``in_total``
wrong passwords came within the window from anywhere, every address waits the same way.
A right password clears its address's count.

Each Argon2 check holds its memory (64 MiB by default) while it runs, so at most
``concurrent`` checks run at once; a login that cannot start one within ``queue_wait``
seconds is turned away (429) rather than queued without end.

The counts live in the server process: with ``serve --workers N`` each worker keeps its
own, so the limits are N times as loose (still a few tries a minute, not hundreds).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from clipdiary.errors import TooManyTries

log = logging.getLogger("clipdiary.login")


@dataclass(frozen=True)
class LoginLimits:
    per_address: int = 5
    in_total: int = 30
    window: float = 600.0
    first_delay: float = 60.0
    longest_delay: float = 3600.0
    concurrent: int = 2
    queue_wait: float = 10.0


@dataclass
class _Record:
    failures: deque[float] = field(default_factory=deque)
    lockouts: int = 0  # how many times in a row it was locked out: the delay doubles
    locked_until: float = 0.0


class LoginGuard:
    def __init__(
        self, limits: LoginLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or LoginLimits()
        self._clock = clock
        self._lock = threading.Lock()
        self._addresses: dict[str, _Record] = {}
        self._everyone = _Record()
        self._checks = threading.BoundedSemaphore(self.limits.concurrent)

    def check(self, address: str) -> None:
        """Refuse (TooManyTries) an address that must wait, before any password check."""
        now = self._clock()
        with self._lock:
            waits = [
                record.locked_until - now
                for record in (self._addresses.get(address), self._everyone)
                if record is not None and record.locked_until > now
            ]
        if waits:
            wait = int(max(waits)) + 1
            log.warning(
                "login refused for %s: too many wrong passwords, %d s to wait", address, wait
            )
            raise TooManyTries(
                f"too many wrong passwords: try again in {_spell(wait)}", retry_after=wait
            )

    @contextmanager
    def checking(self) -> Iterator[None]:
        """Hold one of the few password-check slots while Argon2 runs."""
        if not self._checks.acquire(timeout=self.limits.queue_wait):
            log.warning("login refused: %d password checks running", self.limits.concurrent)
            raise TooManyTries("too many logins at once: try again in a few seconds", retry_after=5)
        try:
            yield
        finally:
            self._checks.release()

    def failed(self, address: str) -> None:
        now = self._clock()
        with self._lock:
            self._prune(now)
            record = self._addresses.setdefault(address, _Record())
            self._count(record, now, self.limits.per_address)
            self._count(self._everyone, now, self.limits.in_total)
        log.warning("wrong password from %s", address)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._addresses.pop(address, None)

    def _count(self, record: _Record, now: float, allowed: int) -> None:
        record.failures.append(now)
        while record.failures and record.failures[0] <= now - self.limits.window:
            record.failures.popleft()
        if len(record.failures) >= allowed:
            delay = min(self.limits.first_delay * 2**record.lockouts, self.limits.longest_delay)
            record.lockouts += 1
            record.locked_until = now + delay
            record.failures.clear()

    def _prune(self, now: float) -> None:
        # Addresses quiet for a window and not locked are forgotten: the table stays small
        # however many addresses an attacker uses.
        if len(self._addresses) < 1000:
            return
        horizon = now - self.limits.window
        for address in [
            a
            for a, r in self._addresses.items()
            if r.locked_until < now and (not r.failures or r.failures[-1] < horizon)
        ]:
            del self._addresses[address]


def _spell(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"
