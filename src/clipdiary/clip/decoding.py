"""Undo HTTP content-encoding (gzip, deflate, br) in bounded pieces.

httpx's own decoders inflate a whole network chunk at once, and 316 bytes of brotli can
hold 200 MB of zeros. These decoders never return more than ``piece`` bytes per step, so
the fetcher can stop at its size limit before a compression bomb fills memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

import brotli  # no stubs; pyproject has no override

PIECE = 64 * 1024


class DecodingError(Exception):
    """The body is not valid for its content-encoding, or the encoding is unknown."""


class Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), PIECE):
            yield data[start : start + PIECE]

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    def __init__(self, wbits: int, *, deflate: bool = False) -> None:
        self._wbits = wbits
        self._deflate = deflate
        self._inflater = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            yield from self._inflate(data)
        except zlib.error as exc:
            raise DecodingError(f"bad {'deflate' if self._deflate else 'gzip'} data") from exc

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        if self._deflate and not self._started:
            # "deflate" should be zlib-wrapped, but some servers send raw deflate.
            self._started = True
            try:
                zlib.decompressobj(self._wbits).decompress(data[:64], 1)
            except zlib.error:
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        pending = data
        while pending:
            out = self._inflater.decompress(pending, PIECE)
            pending = self._inflater.unconsumed_tail
            if out:
                yield out
            elif self._inflater.eof:
                break

    def finish(self) -> Iterator[bytes]:
        try:
            rest = self._inflater.flush()
        except zlib.error as exc:
            raise DecodingError("truncated compressed data") from exc
        yield from _Identity().feed(rest)


class _Brotli:
    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._decompressor.process(data, output_buffer_limit=PIECE)
            if out:
                yield out
            while not self._decompressor.can_accept_more_data():
                out = self._decompressor.process(b"", output_buffer_limit=PIECE)
                if not out:
                    break
                yield out
        except brotli.error as exc:
            raise DecodingError("bad brotli data") from exc

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Chain:
    """Encodings listed as ``gzip, br`` were applied in that order: undo them in reverse."""

    def __init__(self, decoders: list[Decoder]) -> None:
        self._decoders = decoders

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(data, 0, finish=False)

    def finish(self) -> Iterator[bytes]:
        return self._through(b"", 0, finish=True)

    def _through(self, data: bytes, index: int, *, finish: bool) -> Iterator[bytes]:
        if index == len(self._decoders):
            if data:
                yield data
            return
        decoder = self._decoders[index]
        for piece in decoder.feed(data):
            yield from self._through(piece, index + 1, finish=False)
        if finish:
            for piece in decoder.finish():
                yield from self._through(piece, index + 1, finish=False)
            yield from self._through(b"", index + 1, finish=True)


ACCEPT_ENCODING = "gzip, deflate, br"


def decoder_for(content_encoding: str | None) -> Decoder:
    """A bounded decoder for a ``Content-Encoding`` header value."""
    names = [
        name.strip().lower()
        for name in (content_encoding or "").split(",")
        if name.strip() and name.strip().lower() != "identity"
    ]
    decoders: list[Decoder] = []
    for name in reversed(names):
        if name in ("gzip", "x-gzip"):
            decoders.append(_Zlib(16 + zlib.MAX_WBITS))
        elif name == "deflate":
            decoders.append(_Zlib(zlib.MAX_WBITS, deflate=True))
        elif name == "br":
            decoders.append(_Brotli())
        else:
            raise DecodingError(f"unsupported content-encoding {name!r}")
    if not decoders:
        return _Identity()
    return decoders[0] if len(decoders) == 1 else _Chain(decoders)
