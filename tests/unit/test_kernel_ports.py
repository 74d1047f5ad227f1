"""Kernel ports come from lessonkit's own range, never from the system's outgoing ones (ports.py)."""

from __future__ import annotations

import socket

import pytest
from jupyter_client.connect import LocalPortCache
from traitlets.config import SingletonConfigurable

from lessonkit.cli import voila_config
from lessonkit.server import ports
from lessonkit.server.ports import LEARNERS, TRAINER, KernelPorts


@pytest.fixture
def fresh(monkeypatch):
    """No port cache in this process yet (each test makes its own)."""
    for cls in (KernelPorts, *LocalPortCache.__mro__):
        if issubclass(cls, SingletonConfigurable):
            monkeypatch.setattr(cls, "_instance", None, raising=False)


def test_ports_are_distinct_free_and_in_range(fresh):
    cache = KernelPorts(low=LEARNERS[0], high=LEARNERS[1])
    busy = socket.socket()   # another program holds the first port of the range
    busy.bind(("127.0.0.1", LEARNERS[0]))
    cache._next = 0
    try:
        got = [cache.find_available_port("127.0.0.1") for _ in range(50)]
    finally:
        busy.close()
    assert len(set(got)) == 50 and all(LEARNERS[0] < p <= LEARNERS[1] for p in got)
    outgoing = ports.outgoing_range()
    if outgoing:
        assert not any(outgoing[0] <= p <= outgoing[1] for p in got)


def test_a_returned_port_can_be_given_again_and_a_full_range_falls_back(fresh):
    cache = KernelPorts(low=LEARNERS[0], high=LEARNERS[0] + 1)
    a, b = cache.find_available_port("127.0.0.1"), cache.find_available_port("127.0.0.1")
    assert {a, b} == {LEARNERS[0], LEARNERS[0] + 1}
    c = cache.find_available_port("127.0.0.1")   # the range is used up: the system's choice, still unique
    assert c not in (a, b) and c > 0
    cache.return_port(a)
    assert cache.find_available_port("127.0.0.1") == a


def test_a_range_inside_the_outgoing_ports_is_not_used(fresh, monkeypatch):
    monkeypatch.setattr(ports, "outgoing_range", lambda: (20000, 40000))
    cache = KernelPorts(low=LEARNERS[0], high=LEARNERS[1])
    assert not cache.usable
    port = cache.find_available_port("127.0.0.1")
    assert not LEARNERS[0] <= port <= LEARNERS[1] and port in cache.currently_used_ports


def test_installed_it_is_jupyter_clients_port_cache(fresh):
    cache = KernelPorts.install(low=TRAINER[0], high=TRAINER[1])
    assert LocalPortCache.instance() is cache
    assert TRAINER[0] <= LocalPortCache.instance().find_available_port("127.0.0.1") <= TRAINER[1]


def test_the_two_voilas_of_serve_get_ranges_of_their_own():
    students, trainer = voila_config(class_code="LIB3")["KernelPorts"], voila_config()["KernelPorts"]
    assert (students["low"], students["high"]) == LEARNERS and (trainer["low"], trainer["high"]) == TRAINER
    assert LEARNERS[1] < TRAINER[0]
