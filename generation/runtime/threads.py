"""CPU threads for the worker's torch: as many as the cores this process may run on (its CPU
affinity, or GENERATION_THREADS), and OpenMP told not to spin-wait. On a loaded machine, spinning
OpenMP threads wait on each other for whole time slices (rendering slowed ninefold here with two
torch threads on two shared cores); passive waiting gives the core back at once.

OpenMP reads OMP_WAIT_POLICY when torch is first imported, so importing this package sets it
(unless the environment already says otherwise) before anything imports torch."""
from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("KMP_BLOCKTIME", "0")  # the same, for Intel's OpenMP runtime when torch links it


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def apply(threads: int = 0) -> int:
    """Set torch's intra-op threads to `threads` (0: the usable cores). Returns the number set."""
    import torch

    n = threads if threads > 0 else usable_cores()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n
