"""How long an edit takes to show in ``mkdocs serve`` (``python -m aieng bench serve``).

:func:`benchmark` copies ``docs/`` into a temporary folder (the tree's pages are never touched),
serves it with ``mkdocs serve`` through a configuration that inherits the real ``mkdocs.yml``,
waits for the first build, then edits one page of one language ``repeat`` times: each edit
appends a paragraph with a fresh word, and the time counted runs from the moment the file is
written to the moment the served page contains that word (polled every 20 ms over HTTP). Between
edits it waits until the server has finished rebuilding. The result cache is the caller's (set
``AIENG_CACHE_DIR`` to choose), so with a warm cache this is what a translator sees.

Example:
    >>> edit_marker(3, "x1")
    'aieng-bench-edit-3-x1'
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

_POLL = 0.02  # seconds between two requests for the edited page


def edit_marker(number: int, nonce: str) -> str:
    """The word edit ``number`` adds to the page."""
    return f"aieng-bench-edit-{number}-{nonce}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost only
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _page_url(base: str, lang: str, page: str, default_lang: str = "ko") -> str:
    path = page.removesuffix(".md")
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    prefix = "" if lang == default_lang else f"{lang}/"
    return f"{base}{prefix}{path}"


def _wait(predicate: Any, timeout: float, what: str) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        time.sleep(_POLL)
    raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")


def benchmark(
    *,
    page: str = "1.1/transformer.md",
    lang: str = "en",
    repeat: int = 5,
    config_file: str = "mkdocs.yml",
    timeout: float = 300.0,
    serve_options: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Serve a copy of the docs, edit ``lang/page`` ``repeat`` times; the seconds each took.

    Raises:
        ValueError: when the page or the configuration does not exist, or ``repeat`` < 1.
        TimeoutError: when the first build, or an edit, does not show within ``timeout``.
    """
    config = Path(config_file).resolve()
    docs = config.parent / "docs"
    if not config.is_file() or not (docs / lang / page).is_file():
        raise ValueError(
            f"{docs / lang / page} or {config} not found: run from the repository root and name "
            "a page below docs/<lang>/, e.g. --page 1.1/transformer.md --lang en"
        )
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="aieng-serve-") as tmp:
        root = Path(tmp)
        shutil.copytree(docs, root / "docs")
        inherit = {"INHERIT": str(config), "docs_dir": str(root / "docs")}
        (root / "mkdocs.yml").write_text(json.dumps(inherit), encoding="utf-8")  # JSON is YAML
        port = _free_port()
        base = f"http://127.0.0.1:{port}/"
        log_path = root / "serve.log"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        env.pop("AIENG_BUILD_ONLY_LANGUAGE", None)
        command = [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--config-file",
            str(root / "mkdocs.yml"),
        ]
        command += ["--dev-addr", f"127.0.0.1:{port}", *serve_options]
        with log_path.open("w", encoding="utf-8") as log:
            server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=config.parent, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            url = _page_url(base, lang, page)

            def served() -> bool:
                if server.poll() is not None:
                    raise RuntimeError(f"mkdocs serve exited:\n{log_path.read_text()[-3000:]}")
                return _get(url) is not None

            first = _wait(served, timeout, "the first build")

            def builds_done() -> bool:
                text = log_path.read_text(encoding="utf-8", errors="replace")
                return text.count("Building documentation") <= text.count("Reloading browsers") + 1

            nonce, seconds = uuid.uuid4().hex[:8], []
            source = root / "docs" / lang / page
            original = source.read_text(encoding="utf-8")
            for number in range(repeat):
                marker = edit_marker(number, nonce)
                text = f"{original.rstrip()}\n\n{marker}\n"
                source.write_text(text, encoding="utf-8")
                start = time.perf_counter()
                _wait(lambda m=marker: m in (_get(url) or ""), timeout, f"edit {number}")
                seconds.append(round(time.perf_counter() - start, 3))
                _wait(builds_done, timeout, "the rebuild after an edit")
                time.sleep(0.5)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        log_tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
    return {
        "page": f"{lang}/{page}",
        "serve_options": list(serve_options),
        "repeat": repeat,
        "first_build_seconds": round(first, 2),
        "edit_seconds": seconds,
        "median_seconds": round(statistics.median(seconds), 3),
        "max_seconds": max(seconds),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "log_tail": log_tail,
    }
