"""Give memory Python has freed back to the system.

glibc's malloc keeps freed memory for the process to reuse, so a kernel that built and closed a few
activity pages (or a server that relayed a class's messages) stays at its high-water mark. On a
trainer's laptop running 30 kernels that is hundreds of MB; malloc_trim(0) returns what is free.
A no-op where the C library has no malloc_trim (musl, macOS).
"""

from __future__ import annotations

import gc
from functools import lru_cache

__all__ = ["give_back"]


@lru_cache(maxsize=1)
def _trim():
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def give_back(collect: bool = True) -> None:
    """Collect garbage (unless collect=False), then hand free heap pages back to the system."""
    if collect:
        gc.collect()
    trim = _trim()
    if trim is not None:
        trim(0)
