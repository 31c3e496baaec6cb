"""MiniLM in numpy: the regression value from the models reference, and its edges."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from themes.encoder import Encoder, EncoderError, read_safetensors


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def test_cosine_matches_the_reference(encoder: Encoder) -> None:
    a, b, c = encoder.encode(
        [
            "there were too many changes of social worker",
            "I had five different social workers in a year",
            "the cat sat on the mat",
        ]
    )
    assert float(a @ b) == pytest.approx(0.660, abs=0.0015)
    assert abs(float(a @ c)) < 0.1


def test_rows_are_unit_length_and_independent_of_batching(encoder: Encoder) -> None:
    texts = ["short", "a much longer answer about moving school three times in a year", "", "🙂"]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_very_long_text_is_truncated_not_refused(encoder: Encoder) -> None:
    assert encoder.encode(["word " * 5000]).shape == (1, 384)


def test_safetensors_parser(tmp_path: Path) -> None:
    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    header = json.dumps({"x": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + data.tobytes())
    assert np.array_equal(read_safetensors(path)["x"], data)
    bad = json.dumps({"x": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}).encode()
    path.write_bytes(struct.pack("<Q", len(bad)) + bad + b"\0" * 8)
    with pytest.raises(EncoderError):
        read_safetensors(path)


def test_repeated_texts_are_embedded_once_and_kept_in_place(encoder: Encoder) -> None:
    out = encoder.encode(["no", "nothing", "no"])
    assert out.shape == (3, 384)
    assert np.array_equal(out[0], out[2]) and not np.array_equal(out[0], out[1])


def _plain_gelu(x: np.ndarray) -> np.ndarray:
    """The formula as first written (one temporary per step): the in-place one must match it."""
    f = np.float32
    z = np.abs(x) * f(0.70710678)
    t = f(1.0) / (f(1.0) + f(0.3275911) * z)
    poly = (f(1.061405429) * t - f(1.453152027)) * t + f(1.421413741)
    poly = ((poly * t - f(0.284496736)) * t + f(0.254829592)) * t
    erf = f(1.0) - poly * np.exp(-z * z)
    out: np.ndarray = f(0.5) * x * (f(1.0) + np.copysign(erf, x))
    return out


def test_in_place_gelu_gives_the_same_bits() -> None:
    from themes.encoder import _gelu

    x = np.random.default_rng(0).normal(0, 3, (3, 17, 1536)).astype(np.float32)
    x[0, 0, :4] = [0.0, -0.0, 40.0, -40.0]
    assert np.array_equal(_gelu(x.copy()), _plain_gelu(x))


def test_worker_processes_give_the_same_embeddings(encoder: Encoder) -> None:
    texts = [f"answer {i}: " + "we moved placement again " * (i % 7) for i in range(600)]
    pooled = Encoder(workers=2)
    try:
        together = pooled.encode(texts)
    finally:
        pooled.close()
    assert np.array_equal(together, encoder.encode(texts))
    # and one at a time (different batches, so not bit for bit)
    alone = np.vstack([encoder.encode([t]) for t in texts[:20]])
    assert np.allclose(together[:20], alone, atol=1e-5)
