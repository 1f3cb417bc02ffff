"""One BLAS thread while an image or a clip is read.

The searches make thousands of small products (a block DCT over a stack of windows, a
hypothesis's rows with the plane); numpy hands them to OpenBLAS, whose worker threads spin up
and wait for each one. On the 2-core machines here that doubled the CPU of a verify (an
unmarked 1024 x 1024 image: 741 ms of CPU for 374 ms of wall clock) and gained no wall clock
(357 ms with one thread), and under load the spinning threads stalled the products (see
``reader._centre_pairs``). The limit is the process's while a read runs (threadpoolctl sets the
libraries' own thread counts); a concurrent read in another thread sees the same limit, and
nothing else in a web or worker process needs BLAS threads (the screening model runs on ONNX
Runtime, generation on torch).
"""
from __future__ import annotations

_CONTROLLER = None


def one_blas_thread():
    """A context manager: the loaded BLAS libraries limited to one thread inside it."""
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")
