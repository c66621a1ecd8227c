"""Progress of long work (training steps) on the terminal, never in a page.

One bar for everything that counts steps: ``python -m aieng models train`` and the site build's
training both use :func:`step_bar`. On a terminal (stderr is a TTY) it is a tqdm bar on stderr;
otherwise (a CI log, a pipe) it is a log line every tenth of the way, through the logger the
caller passes (MkDocs' log during a build), so a log file gets a few lines rather than thousands
of carriage returns. It never writes to stdout, which a page's block output is captured from.

Example:
    >>> import logging
    >>> bar = step_bar(4, "tiny", log=logging.getLogger("x"), tty=False)
    >>> for step in range(4):
    ...     bar.update(step, 2.5 - step / 4)
    >>> bar.close()
    >>> bar.steps
    4
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

__all__ = ["StepBar", "step_bar"]


class StepBar:
    """A bar over ``total`` steps (None: unknown) showing the loss; see :func:`step_bar`."""

    def __init__(self, total: int | None, desc: str, *, log: logging.Logger, tty: bool) -> None:
        self.total, self.desc, self.log, self.steps = total, desc, log, 0
        self._start = time.perf_counter()
        self._next_line = 0.1  # fraction of the way at which the next log line is due
        self._bar: Any = None
        if tty:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit="step", leave=True, file=sys.stderr)

    def update(self, step: int, loss: float) -> None:
        """One more step done; ``loss`` is its training loss."""
        self.steps += 1
        if self._bar is not None:
            self._bar.update(1)
            if step % 20 == 0:
                self._bar.set_postfix(loss=f"{loss:.3f}")
            return
        if self.total and self.steps >= self._next_line * self.total:
            self._next_line += 0.1
            self.log.info(
                "training %s: step %d/%d, loss %.3f, %.0f s",
                self.desc,
                self.steps,
                self.total,
                loss,
                time.perf_counter() - self._start,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def step_bar(
    total: int | None, desc: str, *, log: logging.Logger | None = None, tty: bool | None = None
) -> StepBar:
    """A progress bar over ``total`` steps: tqdm on stderr when it is a terminal, else log lines.

    Args:
        total: the number of steps (None when unknown: the bar counts without an end).
        desc: what is being done, e.g. the preset's name.
        log: where the log lines go when stderr is not a terminal (default: this module's).
        tty: force the terminal bar (True) or the log lines (False); default: ``stderr.isatty()``.
    """
    if tty is None:
        tty = bool(getattr(sys.stderr, "isatty", lambda: False)())
    return StepBar(total, desc, log=log or logging.getLogger(__name__), tty=tty)
