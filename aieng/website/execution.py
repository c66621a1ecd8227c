"""Examples that fail loudly: markdown-exec's fences, wrapped so a failing block stops the build.

markdown-exec only logs a warning and renders the traceback into the page when a block raises,
and SuperFences swallows a crashing formatter. :func:`wrap_markdown_exec_fences` wraps
markdown-exec's formatter so that a failing block aborts the build with an :class:`ExampleError`
that names the page, the block's number on the page and the line of its opening fence in the
page's file. Those lines come from the page parser (:func:`aieng.text.pages.executed_block_lines`),
which finds blocks with SuperFences' own rules, so block ``n`` is the ``n``-th block markdown-exec
runs (:class:`PageRun` counts them).

A block also has a time limit (:func:`block_timeout`; the ``block_timeout`` option of the
``aieng`` plugin in ``mkdocs.yml``, or ``AIENG_BLOCK_TIMEOUT``, in seconds). markdown-exec runs
blocks in-process, in the build's thread, so the limit is a ``SIGALRM`` timer
(``signal.setitimer``) whose handler raises :class:`BlockTimeout` inside the running block: the
interpreter runs the handler between bytecodes of the block itself (and interrupts
``time.sleep``), so the block stops where it is, and the build fails naming the page, the block,
its line and how long it ran. A watchdog thread could notice a runaway block but not stop it
(Python cannot interrupt another thread blocked in C), and a subprocess per block would lose the
sessions and the in-memory cache the pages share. Signals reach only the main thread; a build
run from another thread (``mkdocs serve`` rebuilds on a worker thread) gets a timer thread
instead, which raises the same exception in the build's thread through
``PyThreadState_SetAsyncExc``: it takes effect at the block's next bytecode, so a Python loop
stops at once and a block stuck inside one long C call (``time.sleep(3600)``) when that call
returns.

With ``AIENG_EXEC=off`` (``0``/``off``/``false``/``no``) the wrapped validator declines every
block, so executed blocks are shown as plain highlighted code and nothing runs: the floor that
the build benchmark compares against.

Example:
    >>> run = PageRun()
    >>> run.start("ko/x.md", [3, 15])
    >>> run.blocks += 2
    >>> run.where()
    "page 'ko/x.md', executed block 2 (line 15)"
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException

from aieng.website.buildlog import BuildLog

_FALSE = {"0", "off", "false", "no"}
DEFAULT_BLOCK_TIMEOUT = 900.0
"""Seconds one executed block may run (see the report of the slowest block in a cold build)."""
# Loggers that markdown-exec reports a failing block on: its own, and the name MkDocs gives it
# once its MkDocs plugin has patched its loggers.
_EXEC_LOGGERS = ("markdown_exec", "mkdocs.plugins.markdown_exec")


def execution_enabled() -> bool:
    """Whether executed blocks run (``AIENG_EXEC`` is not ``0``/``off``/``false``/``no``)."""
    return os.environ.get("AIENG_EXEC", "1").strip().lower() not in _FALSE


def block_timeout(configured: float | None = None) -> float | None:
    """The per-block limit in seconds: ``AIENG_BLOCK_TIMEOUT``, else ``configured`` (the plugin's
    ``block_timeout`` option), else :data:`DEFAULT_BLOCK_TIMEOUT`; 0 means no limit (None).

    Raises:
        ValueError: when ``AIENG_BLOCK_TIMEOUT`` is not a number of seconds.
    """
    raw = os.environ.get("AIENG_BLOCK_TIMEOUT", "").strip()
    if raw:
        try:
            configured = float(raw)
        except ValueError:
            raise ValueError(
                f"AIENG_BLOCK_TIMEOUT={raw!r} is not a number of seconds: set it to e.g. 600, "
                "or to 0 for no limit"
            ) from None
    seconds = DEFAULT_BLOCK_TIMEOUT if configured is None else configured
    return seconds if seconds > 0 else None


class BlockTimeout(BaseException):
    """Raised inside a block that ran past its limit. A ``BaseException``, like
    ``KeyboardInterrupt``, so that neither the block's own ``except Exception`` nor
    markdown-exec's error handling can swallow it."""


@contextlib.contextmanager
def _thread_time_limit(seconds: float) -> Iterator[bool]:
    """:func:`time_limit` outside the main thread: a timer thread raises :class:`BlockTimeout`
    in this thread, asynchronously, unless the ``with`` block ended first."""
    import ctypes

    target = threading.get_ident()
    lock, state = threading.Lock(), {"done": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(target), ctypes.py_object(BlockTimeout)
                )

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield True
    finally:
        with lock:
            state["done"] = True
        timer.cancel()


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[bool]:
    """Raise :class:`BlockTimeout` in this thread once ``seconds`` have passed; yields whether
    the limit is enforced (always, given a limit: a signal timer in the main thread, a timer
    thread elsewhere)."""
    if not seconds:
        yield False
        return
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        with _thread_time_limit(seconds) as enforced:
            yield enforced
        return

    def expire(signum: int, frame: Any) -> None:
        raise BlockTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class ExampleError(PluginError, SuperFencesException):
    """An executed code block raised: the build stops and names the page, block and line.

    It is a :class:`~mkdocs.exceptions.PluginError`, so MkDocs aborts with a clean message and a
    non-zero exit status, and a ``SuperFencesException``, the one exception SuperFences lets
    through instead of swallowing it.
    """


@dataclass
class PageRun:
    """Where the build is: the page being rendered, its executed blocks' lines, how many ran."""

    src_uri: str = ""  # the file the page is rendered from, under docs/
    block_lines: list[int] = field(default_factory=list)  # opening fence of each executed block
    blocks: int = 0  # blocks run so far on this page
    timeout: float | None = None  # seconds a block may run (None: no limit)
    book: BuildLog | None = None  # logs what each block computed (None: nothing logged)

    def start(self, src_uri: str, block_lines: list[int]) -> None:
        self.src_uri, self.block_lines, self.blocks = src_uri, list(block_lines), 0

    def finish(self) -> None:
        self.start("", [])

    def where(self) -> str:
        number = self.blocks
        line = self.block_lines[number - 1] if 0 < number <= len(self.block_lines) else None
        at = f" (line {line})" if line else ""
        return f"page '{self.src_uri or '?'}', executed block {number}{at}"


def _failure_summary(message: str) -> str:
    """The last line of the traceback that markdown-exec logged: ``ZeroDivisionError: ...``."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("```")]
    return lines[-1] if lines else message.strip()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _collect_warnings(names: tuple[str, ...]) -> Iterator[list[logging.LogRecord]]:
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _wrap_formatter(format_: Callable[..., Any], run: PageRun) -> Callable[..., Any]:
    """markdown-exec's fence formatter, turned into one that raises :class:`ExampleError`."""

    def run_block(source: str, language: str, *args: Any, **kwargs: Any) -> Any:
        run.blocks += 1
        where = run.where()
        watch = run.book.watch(where) if run.book else contextlib.nullcontext()
        start = time.perf_counter()
        with watch, _collect_warnings(_EXEC_LOGGERS) as warnings:
            try:
                with time_limit(run.timeout):
                    html = format_(source, language, *args, **kwargs)
            except ExampleError:
                raise
            except BlockTimeout:
                ran = time.perf_counter() - start
                raise ExampleError(
                    f"{where}: the {language} block ran for {ran:.1f} s and was stopped at the "
                    f"limit of {run.timeout:g} s. Make it faster (cache what it computes), or "
                    "raise the limit: block_timeout under the aieng plugin in mkdocs.yml, or "
                    "AIENG_BLOCK_TIMEOUT (seconds; 0: no limit)."
                ) from None
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - reported, never swallowed
                raise ExampleError(
                    f"{where}: the {language} block crashed ({type(exc).__name__}: {exc}). "
                    "Fix the block or the aieng code it calls."
                ) from exc
        if warnings:
            summary = _failure_summary(warnings[-1].getMessage())
            raise ExampleError(
                f"{where}: the {language} block raised {summary}. Fix the block or the aieng code "
                "it calls (the whole traceback is logged above)."
            )
        return html

    run_block.__aieng_wrapped__ = format_  # type: ignore[attr-defined]
    return run_block


def _wrap_validator(validate: Callable[..., bool]) -> Callable[..., bool]:
    """markdown-exec's fence validator; with execution off it declines every block.

    markdown-exec's validator removes its own options (``exec``, ``session``, ...) from the fence's
    inputs; declining afterwards lets SuperFences render the block as ordinary highlighted code.
    """

    def accept(language: str, inputs: dict[str, str], *args: Any, **kwargs: Any) -> bool:
        accepted = validate(language, inputs, *args, **kwargs)
        return bool(accepted) and execution_enabled()

    accept.__aieng_wrapped__ = validate  # type: ignore[attr-defined]
    return accept


def wrap_markdown_exec_fences(mdx_configs: dict[str, Any], run: PageRun) -> int:
    """Wrap every markdown-exec fence registered in ``mdx_configs``; returns how many were wrapped.

    Failures are reported with ``run``'s position. Idempotent: mkdocs-static-i18n runs
    ``on_config`` again for every language, and markdown-exec registers its fences again each time.
    """
    fences = mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", [])
    wrapped = 0
    for fence in fences:
        format_ = fence.get("format")
        if format_ is None or hasattr(format_, "__aieng_wrapped__"):
            continue
        if not getattr(format_, "__module__", "").startswith("markdown_exec"):
            continue
        fence["format"] = _wrap_formatter(format_, run)
        if "validator" in fence:
            fence["validator"] = _wrap_validator(fence["validator"])
        wrapped += 1
    return wrapped
