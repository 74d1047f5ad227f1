"""Kernel ports from a range the operating system never hands out by itself.

jupyter_client gives a new kernel five ports by asking the system for any free one (bind to port 0)
and closing it again; the kernel binds them a moment later. Those ports come from the range the
system uses for outgoing connections, and a busy classroom server makes many: the server's own
connections to 30 kernels (five each), the learners' pages, the class store. In that moment one of
them can take a port a starting kernel was promised, and the kernel dies with "Address already in
use" (a learner then waits for a replacement). Here ports come from a fixed range below the
system's outgoing range (Linux: 32768-60999, macOS and Windows: from 49152), still checked free
before they are handed out, and the two Voilas of `lessonkit serve` use ranges of their own.
"""

from __future__ import annotations

import random
import socket

from jupyter_client.connect import LocalPortCache
from traitlets import Int

__all__ = ["KernelPorts", "LEARNERS", "TRAINER", "outgoing_range", "port_free"]

LEARNERS = (20000, 26999)   # 7,000 ports: 5 a kernel, far more kernels than any class holds
TRAINER = (27000, 27999)


def outgoing_range() -> tuple[int, int] | None:
    """The range this system picks outgoing (and port-0) ports from, where it says (Linux)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
        return low, high
    except (OSError, ValueError):
        return None


def port_free(ip: str, port: int, *, reuse_address: bool = False) -> bool:
    """Whether ip:port can be bound now. `reuse_address`: as a web server binds (Tornado sets SO_REUSEADDR),
    so a closed connection still in TIME_WAIT does not count as in use."""
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as probe:
        if reuse_address:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((ip, port))
        except OSError:
            return False
    return True


class KernelPorts(LocalPortCache):
    """jupyter_client's port cache (one per server process), handing out ports from [low, high]."""

    low = Int(LEARNERS[0], config=True, help="Lowest port a kernel may be given.")
    high = Int(LEARNERS[1], config=True, help="Highest port a kernel may be given.")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        span = self.high - self.low + 1
        self._next = random.randrange(span) if span > 0 else 0   # two servers rarely start at the same place
        outgoing = outgoing_range()
        self.usable = span > 0 and not (outgoing and self.low <= outgoing[1] and self.high >= outgoing[0])
        if span > 0 and outgoing and not self.usable:
            self.log.warning("lessonkit: kernel ports %d-%d overlap this system's outgoing ports %d-%d; "
                             "kernels get the system's choice of port instead", self.low, self.high, *outgoing)

    def find_available_port(self, ip: str) -> int:
        if self.usable:
            span = self.high - self.low + 1
            for _ in range(span):
                port = self.low + self._next % span
                self._next += 1
                if port not in self.currently_used_ports and port_free(ip, port):
                    self.currently_used_ports.add(port)
                    return port
        return super().find_available_port(ip)   # the whole range in use: as jupyter_client does

    @classmethod
    def install(cls, **kwargs) -> KernelPorts:
        """Make this the process's port cache, before any kernel starts (LocalPortCache.instance() then
        returns it)."""
        if LocalPortCache.initialized() and not isinstance(LocalPortCache.instance(), cls):
            raise RuntimeError("a kernel already took ports before lessonkit's port range was installed")
        return cls.instance(**kwargs)
