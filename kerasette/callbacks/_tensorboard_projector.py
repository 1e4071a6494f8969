"""Embedding tables for TensorBoard's Projector (`embeddings_freq`, `embeddings_metadata`).

Keras writes `<log_dir>/projector_config.pbtxt` naming a TensorFlow checkpoint tensor and saves
the weights as `.weights.h5`, a file the Projector cannot read without TensorFlow. Here the
config sits at the same place, but each entry points at a TSV file of the table's values
(`tensor_path`, a form the Projector reads itself), written to
`<log_dir>/embeddings/<layer>-epoch<NNNN>.tsv` at every `embeddings_freq`-th epoch. Entries are
named `<weight path> (epoch N)` and listed for every epoch written, so the Projector's tensor
menu steps through training. Metadata paths are written as given: TensorBoard reads a relative
one from `log_dir`.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np

CONFIG_NAME = "projector_config.pbtxt"


def embedding_metadata(
    layers: List[Any], metadata: Union[None, str, Dict[str, str]]
) -> Dict[str, Optional[str]]:
    """Maps each Embedding layer's name to its metadata path (or None).

    Args:
        layers: the model's Embedding layers.
        metadata: None, one path for every layer, or a dict from layer name to path.

    Returns:
        `{layer name: metadata path or None}`.

    Raises:
        ValueError: if the dict names a layer that is not an Embedding layer of the model.
        TypeError: if `metadata` is neither None, a string nor a dict.
    """
    names = [layer.name for layer in layers]
    if not isinstance(check_metadata(metadata), dict):
        path = None if metadata is None else os.fspath(metadata)
        return {name: path for name in names}
    unknown = sorted(set(metadata) - set(names))
    if unknown:
        raise ValueError(
            "Unrecognized `Embedding` layer names passed to `keras.callbacks.TensorBoard` "
            f"`embeddings_metadata` argument: {unknown}. The model's Embedding layers are {names}."
        )
    return {name: (os.fspath(metadata[name]) if name in metadata else None) for name in names}


def check_metadata(metadata: Any) -> Any:
    """Returns `metadata` if it is None, a path, or a dict from layer name to path.

    Args:
        metadata: the `embeddings_metadata` received.

    Raises:
        TypeError: otherwise.
    """
    if metadata is None or isinstance(metadata, (str, os.PathLike)):
        return metadata
    if isinstance(metadata, dict) and all(isinstance(v, (str, os.PathLike)) for v in metadata.values()):
        return metadata
    raise TypeError(
        "Invalid value for argument `embeddings_metadata` of callback `TensorBoard`. Expected a file "
        f"name or a dict mapping Embedding layer names to file names. Received: embeddings_metadata={metadata!r}"
    )


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write_embeddings(
    log_dir: str, layers: List[Any], metadata: Dict[str, Optional[str]], epoch: int, entries: List[Tuple[str, str, str]]
) -> None:
    """Writes each layer's table as TSV and rewrites the Projector config listing every table so far.

    Args:
        log_dir: the callback's `log_dir`.
        layers: the model's Embedding layers.
        metadata: `{layer name: metadata path or None}`.
        epoch: the epoch (0-based) whose tables these are.
        entries: the `(tensor name, TSV path relative to log_dir, layer name)` of earlier calls;
            this call appends its own.
    """
    folder = os.path.join(log_dir, "embeddings")
    os.makedirs(folder, exist_ok=True)
    for layer in layers:
        table = np.asarray(layer.embeddings.numpy(), dtype=np.float64)
        relative = f"embeddings/{layer.name}-epoch{epoch:04d}.tsv"
        np.savetxt(os.path.join(log_dir, relative), table, fmt="%.9g", delimiter="\t")
        entries.append((f"{layer.embeddings.path} (epoch {epoch})", relative, layer.name))
    lines = []
    for name, relative, layer_name in entries:
        lines.append("embeddings {")
        lines.append(f"  tensor_name: {_quote(name)}")
        lines.append(f"  tensor_path: {_quote(relative)}")
        if metadata.get(layer_name):
            lines.append(f"  metadata_path: {_quote(metadata[layer_name])}")
        lines.append("}")
    with open(os.path.join(log_dir, CONFIG_NAME), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
