"""Progress lines for long jobs: done / total, rate, ETA and the current pacing wait.

On a terminal the line is redrawn in place. Anywhere else (a log file, CI, cron) a full line
is printed at least every ``interval`` seconds, even while the job is blocked waiting for the
rate limit, so a silent job is a stuck job::

    with degreed.Progress(client=client) as progress:
        progress.start("users", total=len(rows))
        for row in rows:
            ...
            progress.advance()

``interval`` defaults to the ``DEGREED_PROGRESS_INTERVAL`` environment variable, else 10
seconds. ``quiet=True`` prints nothing.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any, Callable, Optional, TextIO

__all__ = ["Progress", "DEFAULT_INTERVAL"]

#: Seconds between two progress lines when stderr is not a terminal.
DEFAULT_INTERVAL = 10.0


def _interval_from_env() -> float:
    raw = os.environ.get("DEGREED_PROGRESS_INTERVAL", "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_INTERVAL
    return value if value > 0 else DEFAULT_INTERVAL


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """A progress reporter on ``stream`` (stderr by default) for one job, phase by phase.

    Args:
        stream: where lines go.
        interval: seconds between lines off a terminal (default: ``DEGREED_PROGRESS_INTERVAL``
            or 10).
        quiet: print nothing.
        client: a :class:`~degreed.Client` or :class:`~degreed.AsyncClient` whose current
            pacing wait is shown.
    """

    def __init__(
        self,
        stream: Optional[TextIO] = None,
        *,
        interval: Optional[float] = None,
        quiet: bool = False,
        client: Any = None,
    ) -> None:
        self.stream: TextIO = stream if stream is not None else sys.stderr
        self.interval = float(interval) if interval is not None else _interval_from_env()
        self.quiet = quiet
        self.client = client
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False
        self._lock = threading.Lock()
        self._label: Optional[str] = None
        self._total: Optional[int] = None
        self._done = 0
        self._started = 0.0
        self._shown = 0.0
        self._detail: Optional[Callable[[], str]] = None
        self._stop = threading.Event()
        self._ticker: Optional[threading.Thread] = None

    # -- phases ----------------------------------------------------------------------------

    def start(self, label: str, total: Optional[int] = None, detail: Optional[Callable[[], str]] = None) -> None:
        """Begins a phase (ending the previous one). ``detail`` adds text to each line
        (for instance the date windows left of an export)."""
        self.finish()
        with self._lock:
            self._label, self._total, self._done, self._detail = label, total, 0, detail
            self._started = time.monotonic()
            self._shown = 0.0
        self._ensure_ticker()
        self._show(force=not self.tty)

    def advance(self, n: int = 1) -> None:
        """Counts ``n`` more done."""
        with self._lock:
            self._done += n
        self._show()

    def finish(self) -> None:
        """Ends the current phase with a last line."""
        with self._lock:
            if self._label is None:
                return
        self._show(force=True)
        with self._lock:
            self._label = None
        if self.tty and not self.quiet:
            self._write("\n")

    def close(self) -> None:
        """Ends the phase and stops the ticker."""
        self.finish()
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=1)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lines -----------------------------------------------------------------------------

    def line(self) -> str:
        """The current line: ``users: 5/13 (38%), 2.1/s, ETA 4s, pacing wait 0.0s, 2s``."""
        with self._lock:
            label, total, done, detail = self._label, self._total, self._done, self._detail
            elapsed = time.monotonic() - self._started
        parts = [f"{label}: {done}" + (f"/{total} ({100 * done // total}%)" if total else "")]
        rate = done / elapsed if elapsed > 0 else 0.0
        parts.append(f"{rate:.1f}/s")
        if total:
            left = max(total - done, 0)
            parts.append(f"ETA {_duration(left / rate)}" if rate > 0 else "ETA ?")
        if detail is not None:
            parts.append(detail())
        if self.client is not None:
            parts.append(f"pacing wait {self.client.pacing_wait:.1f}s")
        parts.append(f"elapsed {_duration(elapsed)}")
        return ", ".join(parts)

    def _show(self, force: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        with self._lock:
            if self._label is None:
                return
            # A terminal is redrawn often; a file gets a line per interval. The ticker wakes
            # every twentieth of it, so lines are never further apart than the interval.
            every = 0.1 if self.tty else self.interval * 0.95
            if not force and now - self._shown < every:
                return
            self._shown = now
        text = self.line()
        self._write(f"\r\033[K{text}" if self.tty else f"{text}\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stderr must not stop the job

    def _ensure_ticker(self) -> None:
        if self.quiet or self._ticker is not None:
            return

        def tick() -> None:
            # Lines keep coming while the job waits (pacing, back-off, a slow page).
            while not self._stop.wait(min(self.interval, 1.0) if self.tty else self.interval / 20):
                self._show()

        self._ticker = threading.Thread(target=tick, name="degreed-progress", daemon=True)
        self._ticker.start()
