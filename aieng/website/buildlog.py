"""A build that talks: what each executed block computed, for which page, and how long it took.

The result cache (:mod:`aieng.core.cache`) lists every result this process computed
(:func:`aieng.core.cache.computed`); :class:`BuildLog` reads that list before and after each
executed block (and each page's claim macros), so every computation that actually runs gets one
line in MkDocs' log::

    INFO    -  aieng: computed aieng.training.train._trained for page 'ko/1.1/transformer.md',
               executed block 2 (line 40) in 212.4 s

Training shows its steps while it runs: :meth:`BuildLog.start` hooks the training loop's
progress callback (``aieng.training.train._PROGRESS``, the one ``python -m aieng models train``
uses) to :func:`aieng.core.progress.step_bar`: a tqdm bar on stderr when stderr is a terminal,
else a log line every tenth of the way. Nothing of it reaches a page: markdown-exec captures a
block's ``print``, and the bar never writes to stdout.

At the end (:meth:`BuildLog.summary`) a build that computed something lists its slowest
computations with their share of the build's time and its slowest block; a build that computed
nothing says so in one line.

Example:
    >>> import logging
    >>> book = BuildLog(logging.getLogger("x"))
    >>> book.start(train=False)
    >>> with book.watch("page 'ko/x.md', executed block 1 (line 3)"):
    ...     pass
    >>> book.summary(memory=3, disk=2)[0]
    'aieng: computed nothing: all 5 results came from the cache (3 from memory, 2 from disk)'
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aieng.core import cache
from aieng.core.progress import StepBar, step_bar

SLOWEST = 5  # computations listed at the end of a build that computed something


@dataclass(frozen=True)
class Computed:
    """One result computed during the build, and where."""

    function: str  # module.qualname of the cached function
    seconds: float  # its wall time (results it computed itself included)
    where: str  # the page, block and line that asked for it


@dataclass
class BuildLog:
    """The build's account of its computations (see the module's docstring)."""

    log: logging.Logger
    started: float = 0.0  # time.perf_counter() at the start of the build
    computed: list[Computed] = field(default_factory=list)
    computing: float = 0.0  # seconds of the watched steps that computed (no double counting)
    slowest_block: tuple[float, str] = (0.0, "")  # (seconds, where) of the slowest block
    _bar: StepBar | None = None

    def start(self, *, train: bool = True) -> None:
        """A new build begins; with ``train``, training reports its steps (see the module)."""
        self.started = time.perf_counter()
        self.computed, self.computing, self.slowest_block = [], 0.0, (0.0, "")
        if train:
            from aieng.training import train as _train  # imported by the pages' blocks anyway

            if _train._PROGRESS.get("callback") is None:
                _train._PROGRESS["callback"] = self._training_step

    def stop(self) -> None:
        """The build is over: close any bar and unhook the training loop."""
        self._close_bar()
        module = sys.modules.get("aieng.training.train")
        if module is not None and module._PROGRESS.get("callback") == self._training_step:
            module._PROGRESS["callback"] = None

    @contextlib.contextmanager
    def watch(self, where: str, *, block: bool = True) -> Iterator[None]:
        """Log every result computed inside the ``with`` block as computed for ``where``
        (``block``: an executed block, a candidate for the slowest block)."""
        before = len(cache.computed())
        start = time.perf_counter()
        try:
            yield
        finally:
            self._close_bar()
            seconds = time.perf_counter() - start
            if block and seconds > self.slowest_block[0]:
                self.slowest_block = (seconds, where)
            new = cache.computed()[before:]
            if new:
                self.computing += seconds
            for function, took in new:
                self.computed.append(Computed(function, took, where))
                self.log.info("aieng: computed %s for %s in %.1f s", function, where, took)

    def summary(self, *, memory: int, disk: int) -> list[str]:
        """The lines that end the build: its slowest computations, or that it computed nothing."""
        if not self.computed:
            total = memory + disk
            return [
                f"aieng: computed nothing: all {total} results came from the cache "
                f"({memory} from memory, {disk} from disk)"
            ]
        build = max(time.perf_counter() - self.started, 1e-9)
        lines = [
            f"aieng: computed {len(self.computed)} results in {self.computing:.1f} s, "
            f"{100 * self.computing / build:.0f}% of the {build:.1f} s build ({memory} more from "
            f"memory, {disk} from disk); the slowest:"
        ]
        for item in sorted(self.computed, key=lambda c: -c.seconds)[:SLOWEST]:
            lines.append(
                f"  {item.seconds:7.1f} s {100 * item.seconds / build:3.0f}%  {item.function} "
                f"for {item.where}"
            )
        seconds, where = self.slowest_block
        lines.append(f"aieng: the slowest block ran {seconds:.1f} s: {where}")
        return lines

    # --- training steps

    def _training_step(self, step: int, loss: float) -> None:
        if step == 0 or self._bar is None:
            self._close_bar()
            total, name = _fit_arguments()
            self._bar = step_bar(total, name or "model", log=self.log)
        self._bar.update(step, loss)
        if self._bar.total and self._bar.steps >= self._bar.total:
            self._close_bar()

    def _close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _fit_arguments() -> tuple[int | None, str]:
    """The step count and name of the model being trained, read from the training loop's frame.

    ``aieng.training.loop.fit(cfg, name=...)`` calls the progress callback with ``(step, loss)``
    only; its caller's ``cfg.max_iters`` is the bar's total. Anything unexpected gives a bar
    without a total rather than an error.
    """
    frame: Any = sys._getframe(2)  # this function <- BuildLog._training_step <- fit
    cfg, name = frame.f_locals.get("cfg"), frame.f_locals.get("name", "")
    total = getattr(cfg, "max_iters", None)
    return (total if isinstance(total, int) else None), (name if isinstance(name, str) else "")
