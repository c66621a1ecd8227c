"""How torch's idle CPU threads wait: briefly spinning, then sleeping, while the site builds.

Torch's CPU build runs its parallel loops on GNU OpenMP (libgomp), which reads its settings once,
when torch loads. Training sets ``OMP_WAIT_POLICY=PASSIVE`` (:mod:`aieng.training.loop`): idle
threads sleep at once, because threads that spin while other work shares the two cores slowed
training up to 5x. The build's work is the opposite kind: thousands of small forward passes
(the blank benchmark's prefix search, greedy word completion, sampling), each too short to be
worth waking a sleeping thread for. Under ``PASSIVE`` the blank benchmark ran 2.5 times slower
(11.1 s against 4.3 s for 100 blanks, on a quiet 2-core machine). ``GOMP_SPINCOUNT``, when set,
replaces the spin count that the wait policy implies, so :func:`spin_briefly` gives the build
libgomp's own default (300,000 spins, about 3 ms, then sleep) whatever the policy, before torch
loads. A value the user has set is kept.

Example:
    >>> import os
    >>> spin_briefly()
    >>> os.environ["GOMP_SPINCOUNT"].isdigit()
    True
"""

from __future__ import annotations

import os

__all__ = ["SPIN_COUNT", "spin_briefly"]

SPIN_COUNT = 300_000  # libgomp's default when no wait policy is given: about 3 ms


def spin_briefly() -> None:
    """Let idle OpenMP threads spin about 3 ms before sleeping (unless ``GOMP_SPINCOUNT`` is set).

    Takes effect only if torch has not been imported yet in this process.
    """
    os.environ.setdefault("GOMP_SPINCOUNT", str(SPIN_COUNT))
