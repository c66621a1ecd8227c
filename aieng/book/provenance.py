"""Where a page's frozen model came from, said on the page in the reader's language.

:func:`note` renders a short admonition from the model's receipt (:mod:`aieng.training.frozen`):
the command that trained it, its size, what it read, its compute, the time and the machine, and
that this build checked the recipe against the current code and re-measured the held-out loss
from the weights. A model that is out of date on a developer's machine gets a warning instead of
the second sentence (under ``CI=true`` the build has already failed). Nothing in it is typed by
hand; it is computed at every build (the re-measurement itself is cached by the weights' hash).

Example:
    >>> flops_text(4.63e14)
    '4.6 × 10¹⁴'
"""

from __future__ import annotations

from aieng.core import strings
from aieng.core.lang import output_language
from aieng.text import corpus
from aieng.training import frozen
from aieng.training.config import config_from_dict

__all__ = ["note", "flops_text", "machine_text"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def flops_text(flops: float) -> str:
    """``4.63e14`` as ``4.6 × 10¹⁴``."""
    mantissa, exponent = f"{flops:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def machine_text(segments: list[dict], lang: str) -> str:
    """The machines a run used, e.g. ``a CPU (AMD EPYC, 2 cores)``, in ``lang``."""
    seen = []
    for seg in segments:
        m = seg["machine"]
        if m["device"] == "cpu":
            text = strings.word("frozen", "cpu", lang, cpu=m["cpu"], cores=m["cores"])
        else:
            text = strings.word("frozen", "gpu", lang, gpu=m["device"])
        if text not in seen:
            seen.append(text)
    return " + ".join(seen)


def note(name: str = "main", lang: str | None = None) -> str:
    """A Material admonition about frozen model ``name``, in ``lang`` (default: the page's)."""
    lang = output_language(lang)
    w = lambda key, **f: strings.word("frozen", key, lang, **f)  # noqa: E731
    st = frozen.status(name)
    rec = st.receipt
    cfg = config_from_dict(rec["recipe"]["config"])
    command = f"python -m aieng models train {name}"
    train_chars = len(corpus.text("train")) if not cfg.train_chars else cfg.train_chars
    first = w(
        "trained",
        what=w("what_one", name=name),
        command=command,
        params=f"{rec['params']:,}",
        steps=f"{cfg.max_iters:,}",
        chars=f"{rec['train_chars']:,}",
        epochs=rec["train_chars"] / train_chars,
        flops=flops_text(rec["train_flops"]),
        minutes=round(rec["wall_seconds"] / 60),
        where=machine_text(rec["segments"], lang),
    )
    if st.stale:
        second = w("stale", why="; ".join(st.stale), command=command)
        kind = "warning"
    else:
        second = w("checked", loss=frozen.verify(name))
        kind = "info"
    body = f"{first} {second}"
    return f'!!! {kind} "{w("title")}"\n\n    {body}\n'
