"""Command line: ``python -m aieng COMMAND ...`` (or ``aieng COMMAND``).

Each command lives in the module that owns the concept and exposes ``main(argv) -> int``;
modules are imported only when their command runs, so ``aieng i18n check`` never imports torch.
"""

from __future__ import annotations

import importlib
import sys

# command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "chapter": ("aieng.cli.chapter", "recover the damaged chapter: chapter import SEED [-o OUT]"),
    "cache": ("aieng.cli.cache", "show or clear the result cache: cache info|clear"),
    "claims": ("aieng.cli.claims", "print the ledger of the chapter's checkable claims"),
    "models": ("aieng.cli.models", "the models: models train|list|status|verify|report"),
    "bench": ("aieng.cli.bench", "benchmarks that print JSON: bench train|build|site"),
    "i18n": ("aieng.cli.i18n", "translation checks, status and scaffolding"),
    "engines": ("aieng.cli.engines", "build with MkDocs and ProperDocs, list what differs"),
}

# Older spellings that the README once used: the noun is implied.
ALIASES: dict[str, list[str]] = {"train": ["models", "train"], "import": ["chapter", "import"]}


def _usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: python -m aieng COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<{width}}  {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "Run 'python -m aieng COMMAND --help' for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        print(_usage())
        return 0 if argv else 2
    if argv[0] in ALIASES:
        argv = [*ALIASES[argv[0]], *argv[1:]]
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"aieng: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
