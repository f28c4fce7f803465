"""``tobeout serve --workers N``'s sockets: one of their own per worker on Linux, connections spread by the kernel."""

from __future__ import annotations

import select
import socket
import sys

import pytest

from api.serving import bind, worker_sockets
from core.errors import ConfigurationError

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT spreads connections on Linux")


@linux
def test_each_worker_gets_a_socket_of_its_own_and_connections_are_spread_over_them():
    first = bind("127.0.0.1", 0)
    port = first.getsockname()[1]
    socks = worker_sockets(first, 2)
    try:
        assert len(socks) == 2 and first.fileno() == -1  # the checking socket is closed, two of their own
        assert {s.getsockname() for s in socks} == {("127.0.0.1", port)}
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(60)]
        accepted = [0, 0]
        while sum(accepted) < len(clients):
            ready, _, _ = select.select(socks, [], [], 2)
            assert ready, "a connection was never accepted"
            for s in ready:
                conn, _ = s.accept()
                conn.close()
                accepted[socks.index(s)] += 1
        assert min(accepted) > 0, accepted  # both workers get connections, not whichever woke first
        for c in clients:
            c.close()
    finally:
        for s in socks:
            s.close()


@linux
def test_a_port_taken_by_another_server_is_still_refused_before_any_worker_starts():
    other = socket.socket()
    other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # even one that shares its port
    other.bind(("127.0.0.1", 0))
    other.listen()
    try:
        with pytest.raises(ConfigurationError, match="already in use"):
            bind("127.0.0.1", other.getsockname()[1])
    finally:
        other.close()


def test_one_worker_keeps_the_socket_it_was_given():
    sock = bind("127.0.0.1", 0)
    try:
        assert worker_sockets(sock, 1) == [sock]
    finally:
        sock.close()
