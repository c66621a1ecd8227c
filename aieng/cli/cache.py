"""``python -m aieng cache info|clear``: where the result cache is, what it holds; empty it."""

from __future__ import annotations

import argparse

from aieng.core import cache


def main(argv: list[str]) -> int:
    """``python -m aieng cache [info|clear]`` (``info`` when no action is given)."""
    parser = argparse.ArgumentParser(
        prog="python -m aieng cache",
        description="Show or clear the result cache (AIENG_CACHE_DIR moves it, AIENG_CACHE=off "
        "disables it).",
    )
    parser.add_argument("action", choices=["info", "clear"], nargs="?", default="info")
    ns = parser.parse_args(argv)
    if ns.action == "clear":
        removed = cache.clear_cache()
        print(f"removed {removed} files from {cache.cache_dir()}")
        return 0
    about = cache.info()
    state = "enabled" if about.enabled else "disabled (AIENG_CACHE)"
    line = f"{about.folder}: {about.entries} entries, {about.bytes / 1e6:.1f} MB, {state}"
    if about.other_files:
        line += f"; {about.other_files} other files (old formats: 'cache clear' removes them)"
    print(line)
    return 0
