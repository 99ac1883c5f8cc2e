"""Whether the server can listen where it was asked, told in one line before it starts.

Left to uvicorn, a port in use prints its log lines (and, with several workers, a
traceback) after clipdiary has already said where it is serving.
"""

from __future__ import annotations

import errno
import socket

from clipdiary.errors import UsageError


def check_can_listen(host: str, port: int) -> None:
    """Bind ``host``:``port`` for a moment, as uvicorn will, or say what stands in the way."""
    where = f"{host}:{port}"
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(
            f"cannot serve on {where}: {host!r} is no address here ({exc.strerror}); "
            "use --host 127.0.0.1, or --host 0.0.0.0 for every network"
        ) from exc
    family, kind, protocol, _, address = found[0]
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            raise UsageError(f"cannot serve on {where}: {_why(exc, host, port)}") from exc


def _why(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            "the port is in use (another clipdiary serve, or another program): "
            f"choose another with --port {port + 1 if port < 65535 else 8000}"
        )
    if exc.errno == errno.EACCES:
        return "ports below 1024 need root: choose another with --port 8000"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine: use --host 127.0.0.1"
    return f"{exc.strerror or exc}"
