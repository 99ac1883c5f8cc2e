"""Files in another encoding than UTF-8 (``clipdiary import --encoding cp1252``).

Every reader reads UTF-8; a file written in an older encoding (Shift_JIS, EUC-JP,
Windows-1252) is decoded as the user says, a chunk at a time, and handed on as UTF-8.
Bytes that are not in that encoding stop the import with the line they are on.

Old exports are often mixed: UTF-8 with a few bytes pasted in from Windows-1252. For
those, two names: ``--encoding utf-8,cp1252`` reads UTF-8 and only what is not UTF-8 as
cp1252, and says how much and where. Hatena Diary XML names its encoding in its first
line, so it takes no ``--encoding``.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from clipdiary.errors import UsageError, WrongEncoding

NAMES_OWN_ENCODING = ("hatena",)  # formats whose files declare their encoding
CHUNK = 1 << 16
# Said without advice: which encoding does read the file is found and said by the place
# that shows the error (formats/encoding_hint.py).
NOT_UTF8 = "the file is not UTF-8"


@dataclass(frozen=True)
class Encoding:
    """How to read a file: ``name``, and ``fallback`` for bytes that are not in it."""

    name: str
    fallback: str | None = None

    def __str__(self) -> str:
        return f"{self.name},{self.fallback}" if self.fallback else self.name


def check_encoding(text: str, fmt: str) -> Encoding:
    """``cp1252`` or ``utf-8,cp1252`` as codecs' own names; a clear error otherwise."""
    if fmt in NAMES_OWN_ENCODING:
        # Said so that it holds on the command line and on the settings page alike.
        raise UsageError(
            "a Hatena Diary XML file names its encoding in its first line and is read in it: "
            "name an encoding only for Movable Type, bookmarks and JSON Lines files"
        )
    names = [part.strip() for part in text.split(",")]
    if len(names) > 2 or not all(names):
        raise UsageError(f"bad encoding {text!r}: give one (cp1252) or two (utf-8,cp1252)")
    found = []
    for name in names:
        try:
            found.append(codecs.lookup(name).name)
        except LookupError as exc:
            raise UsageError(f"unknown encoding {name!r}: try cp1252, shift_jis or euc_jp") from exc
    return Encoding(found[0], found[1] if len(found) > 1 else None)


@dataclass
class Fallbacks:
    """Where bytes were read with the fallback encoding: how many bytes, in how many runs,
    and (line, bytes) of the first few runs."""

    count: int = 0
    runs: int = 0
    first: list[tuple[int, bytes]] = field(default_factory=list)


class _Recoded:
    """A byte stream in ``encoding``, read as UTF-8 bytes."""

    def __init__(
        self, raw: BinaryIO, encoding: Encoding, source: str, fallbacks: Fallbacks
    ) -> None:
        self._raw = raw
        self._encoding = encoding
        self._source = source
        self.fallbacks = fallbacks
        self._decoder = codecs.getincrementaldecoder(encoding.name)()
        self._buffer = b""
        self._lines = 0  # newlines decoded so far, to name the line of a bad byte
        self._done = False

    def _decode(self, chunk: bytes, final: bool) -> str:
        done: list[str] = []
        while True:
            try:
                done.append(self._decoder.decode(chunk, final=final))
                return "".join(done)
            except UnicodeDecodeError as exc:
                # The error's positions count the bytes the decoder held back from the
                # last chunk too: exc.object is all of them.
                held = bytes(exc.object)
                line = self._lines + 1 + "".join(done).count("\n")
                line += held[: exc.start].count(b"\n")
                bad = held[exc.start : exc.end]
                fallback = self._encoding.fallback
                try:
                    if fallback is None:
                        raise
                    text = bad.decode(fallback)
                except UnicodeDecodeError:
                    raise WrongEncoding(
                        f"the file is not {self._encoding}: byte {bad[0]:#04x} "
                        "has no character in it",
                        path=self._source,
                        line=line,
                    ) from exc
                self._decoder.reset()
                done.append(held[: exc.start].decode(self._encoding.name))
                done.append(text)
                self.fallbacks.count += len(bad)
                self.fallbacks.runs += 1
                if len(self.fallbacks.first) < 5:
                    self.fallbacks.first.append((line, bad))
                chunk = held[exc.end :]

    def _fill(self, wanted: int) -> None:
        while not self._done and (wanted < 0 or len(self._buffer) < wanted):
            chunk = self._raw.read(CHUNK)
            text = self._decode(chunk, final=not chunk)
            self._lines += text.count("\n")
            self._buffer += text.encode("utf-8")
            self._done = not chunk

    def read(self, size: int = -1) -> bytes:
        self._fill(size)
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def readline(self) -> bytes:
        while b"\n" not in self._buffer and not self._done:
            self._fill(len(self._buffer) + CHUNK)
        end = self._buffer.find(b"\n") + 1 or len(self._buffer)
        data, self._buffer = self._buffer[:end], self._buffer[end:]
        return data


Opener = Callable[[], AbstractContextManager[BinaryIO]]


def recoding(opener: Opener, encoding: Encoding | None, source: str) -> tuple[Opener, Fallbacks]:
    """``opener`` again, its bytes read in ``encoding`` and handed on as UTF-8 (as they are
    with None), and the record of the bytes read with the fallback encoding, which the
    last pass through the file leaves filled in."""
    record = Fallbacks()
    if encoding is None:
        return opener, record

    @contextmanager
    def recoded() -> Iterator[BinaryIO]:
        with opener() as raw:
            record.count, record.runs, record.first = 0, 0, []
            yield cast(BinaryIO, _Recoded(raw, encoding, source, record))

    return recoded, record


def recode_all(data: bytes, encoding: Encoding) -> str:
    """``data`` read whole as an import in ``encoding`` reads it; WrongEncoding if it is
    not in it."""
    return _Recoded(io.BytesIO(data), encoding, "", Fallbacks()).read(-1).decode("utf-8")
