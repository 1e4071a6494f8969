"""MultiHeadAttention and GroupQueryAttention against real Keras 3 (torch backend): with the same weights both
libraries give the same outputs and attention scores (max abs difference <= 1e-5) under masks, causal masks,
sliding windows, gates and attention axes; .keras, .h5 and .weights.h5 files move both ways."""

import os

import numpy as np
import pytest
import saving_models as sm

import kerasette as ks

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

pytestmark = pytest.mark.filterwarnings("ignore")
TOLERANCE = 1e-5
RNG = np.random.default_rng(21)
QUERY, VALUE, KEY = (RNG.normal(size=s).astype("float32") for s in [(3, 4, 5), (3, 6, 7), (3, 6, 2)])
GRID = RNG.normal(size=(3, 2, 3, 5)).astype("float32")
Q_MASK = np.array([[1, 1, 0, 1], [1, 0, 1, 1], [1, 1, 1, 1]], bool)
V_MASK = np.array([[1, 1, 1, 0, 0, 1], [1, 0, 1, 1, 1, 0], [0, 1, 1, 1, 1, 1]], bool)
ATTENTION_MASK = RNG.random((3, 4, 6)) < 0.7

# (id, class name, constructor kwargs, inputs (query, value[, key]))
LAYERS = [
    ("mha", "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, (QUERY, VALUE)),
    ("mha_key_value_dim_output_shape", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 3, "value_dim": 4, "output_shape": (2, 3)}, (QUERY, VALUE, KEY)),
    ("mha_gate_no_bias", "MultiHeadAttention", {"num_heads": 3, "key_dim": 2, "use_gate": True, "use_bias": False},
     (QUERY, VALUE)),
    ("mha_sliding_window", "MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "sliding_window": 2},
     (QUERY, VALUE)),
    ("gqa", "GroupQueryAttention", {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2},
     (QUERY, VALUE)),
    ("gqa_multi_query_gate_window", "GroupQueryAttention",
     {"head_dim": 2, "num_query_heads": 3, "num_key_value_heads": 1, "use_gate": True, "sliding_window": 3},
     (QUERY, VALUE, KEY)),
]
OPTIONS = {
    "plain": {},
    "causal": {"use_causal_mask": True},
    "tensor_masks": {"masks": True},
    "tensor_masks_causal_attention_mask": {"masks": True, "use_causal_mask": True, "attention_mask": ATTENTION_MASK},
    "attention_mask": {"attention_mask": ATTENTION_MASK},
}


def same_weights(spec):
    _, class_name, kwargs, inputs = spec
    theirs, ours = getattr(keras.layers, class_name)(**kwargs), getattr(ks.layers, class_name)(**kwargs)
    theirs(*inputs), ours(*inputs)
    weights = [RNG.normal(scale=0.6, size=w.shape).astype("float32") for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    return ours, theirs


def call(K, layer, inputs, options):
    """Call ``layer`` with the masks carried by the query and value tensors (as an Embedding would leave them)."""
    options = dict(options)
    tensors = [K.ops.convert_to_tensor(x) for x in inputs]
    if options.pop("masks", False):
        tensors[0]._keras_mask = K.ops.convert_to_tensor(Q_MASK)
        tensors[1]._keras_mask = K.ops.convert_to_tensor(V_MASK)
    out = layer(*tensors, **options)
    return [np.asarray(K.ops.convert_to_numpy(o)) for o in (out if isinstance(out, (list, tuple)) else [out])]


@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
@pytest.mark.parametrize("spec", LAYERS, ids=[spec[0] for spec in LAYERS])
def test_same_weights_give_the_same_outputs_and_scores(spec, options):
    ours, theirs = same_weights(spec)
    options = {**options, "return_attention_scores": True}
    ours_out, theirs_out = call(ks, ours, spec[3], options), call(keras, theirs, spec[3], options)
    assert [o.shape for o in ours_out] == [t.shape for t in theirs_out]
    assert sm.max_abs_diff(ours_out, theirs_out) <= TOLERANCE


@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
@pytest.mark.parametrize("spec", [LAYERS[0], LAYERS[4]], ids=["mha", "gqa"])
def test_same_outputs_without_the_scores(spec, options):
    """Without the scores Keras runs its fused kernel; query positions masked entirely (which attend nothing) get
    backend-dependent values there, so only the others are compared."""
    ours, theirs = same_weights(spec)
    ours_out, theirs_out = call(ks, ours, spec[3], options), call(keras, theirs, spec[3], options)
    keep = np.ones((3, 4, 6), bool)
    if options.get("masks"):
        keep &= Q_MASK[:, :, None] & V_MASK[:, None, :]
    if "attention_mask" in options:
        keep &= ATTENTION_MASK
    if options.get("use_causal_mask"):
        keep &= np.tril(np.ones((4, 6), bool))
    rows = keep.any(-1)
    assert rows.sum() >= 6
    assert sm.max_abs_diff([ours_out[0][rows]], [theirs_out[0][rows]]) <= TOLERANCE


@pytest.mark.parametrize("axes", [(1, 2), 2, -2], ids=str)
def test_attention_axes_match_keras(axes):
    ours, theirs = same_weights(("grid", "MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "attention_axes": axes},
                                 (GRID, GRID)))
    options = {"return_attention_scores": True}
    ours_out, theirs_out = call(ks, ours, (GRID, GRID), options), call(keras, theirs, (GRID, GRID), options)
    assert [o.shape for o in ours_out] == [t.shape for t in theirs_out]
    assert sm.max_abs_diff(ours_out, theirs_out) <= TOLERANCE
    assert ours.get_config()["attention_axes"] == list(theirs.get_config()["attention_axes"])


def model(K):
    """Token inputs with an Embedding mask, a causal MultiHeadAttention with a separate key, a GQA, and a self-attention
    returning its scores."""
    tokens, memory = K.Input((5,), dtype="int32", name="tokens"), K.Input((4, 6), name="memory")
    x = K.layers.Embedding(10, 6, mask_zero=True, name="embed")(tokens)
    x = K.layers.MultiHeadAttention(2, 3, value_dim=2, name="mha")(x, memory, key=memory, use_causal_mask=True)
    x = K.layers.GroupQueryAttention(2, 4, 2, use_gate=True, name="gqa")(x, x)
    # with the scores, Keras takes its explicit path, where padded query positions attend nothing (output: the bias)
    out, scores = K.layers.MultiHeadAttention(1, 4, name="self")(x, x, return_attention_scores=True)
    return K.Model([tokens, memory], [out, scores], name="attention")


def model_inputs():
    rng = np.random.default_rng(23)
    return [np.array([[3, 1, 4, 0, 0], [5, 9, 2, 6, 0], [1, 1, 2, 3, 5]]), rng.normal(size=(3, 4, 6)).astype("float32")]


def test_same_weights_give_the_same_model_predictions():
    ours, theirs = model(ks), sm.randomize(model(keras), seed=24)
    ours.set_weights(theirs.get_weights())
    assert sm.max_abs_diff(sm.predictions(ours, model_inputs()), sm.predictions(theirs, model_inputs())) <= TOLERANCE


@pytest.mark.parametrize("fmt", ["keras", "h5", "weights.h5"])
def test_keras_written_file_loads_in_kerasette(tmp_path, fmt):
    theirs = sm.randomize(model(keras), seed=25)
    path = tmp_path / f"m.{fmt}"
    if fmt == "weights.h5":
        theirs.save_weights(path)
        ours = model(ks)
        ours.load_weights(path)
    else:
        theirs.save(path)
        ours = ks.models.load_model(path)
        assert [type(layer).__name__ for layer in ours.layers[3:6]] == [
            "MultiHeadAttention", "GroupedQueryAttention", "MultiHeadAttention"]
    assert sm.max_abs_diff(sm.predictions(ours, model_inputs()), sm.predictions(theirs, model_inputs())) <= TOLERANCE


@pytest.mark.parametrize("fmt", ["keras", "h5", "weights.h5"])
def test_kerasette_written_file_loads_in_keras(tmp_path, fmt):
    ours = sm.randomize(model(ks), seed=26)
    path = tmp_path / f"m.{fmt}"
    if fmt == "weights.h5":
        ours.save_weights(path)
        theirs = model(keras)
        theirs.load_weights(path)
    else:
        ours.save(path)
        theirs = keras.models.load_model(path)
        reference = model(keras)
        for name in ("mha", "gqa", "self"):  # the layers Keras would build
            assert theirs.get_layer(name).get_config() == reference.get_layer(name).get_config()
    assert sm.max_abs_diff(sm.predictions(theirs, model_inputs()), sm.predictions(ours, model_inputs())) <= TOLERANCE


def masked_model(K):
    """Called by keyword, with the attention mask as a model input."""
    query, value, mask = K.Input((4, 5), name="query"), K.Input((6, 5), name="value"), K.Input((4, 6), name="mask")
    out = K.layers.MultiHeadAttention(2, 3, name="mha")(query=query, value=value, attention_mask=mask)
    return K.Model([query, value, mask], out, name="masked")


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_keyword_call_with_an_attention_mask_input_moves_both_ways(tmp_path, fmt):
    mask = (np.random.default_rng(27).random((3, 4, 6)) < 0.6).astype("float32")
    mask[:, :, 0] = 1.0  # every query position attends something (Keras's fused kernel differs on the others)
    x = [QUERY, RNG.normal(size=(3, 6, 5)).astype("float32"), mask]
    theirs = sm.randomize(masked_model(keras), seed=28)
    theirs.save(tmp_path / f"k.{fmt}")
    assert sm.max_abs_diff(sm.predictions(ks.models.load_model(tmp_path / f"k.{fmt}"), x),
                           sm.predictions(theirs, x)) <= TOLERANCE
    ours = sm.randomize(masked_model(ks), seed=29)
    ours.save(tmp_path / f"o.{fmt}")
    assert sm.max_abs_diff(sm.predictions(keras.models.load_model(tmp_path / f"o.{fmt}"), x),
                           sm.predictions(ours, x)) <= TOLERANCE


def block_model(K):
    """A Transformer block as Keras users write it: a registered layer holding the attention in an attribute."""

    @K.saving.register_keras_serializable(package="interop_attention")
    class Block(K.layers.Layer):
        def __init__(self, dim=6, **kwargs):
            super().__init__(**kwargs)
            self.dim = dim
            self.attention = K.layers.MultiHeadAttention(num_heads=2, key_dim=dim, use_gate=True)
            self.grouped = K.layers.GroupQueryAttention(3, 2, 1)
            self.norm = K.layers.LayerNormalization()

        def call(self, x):
            return self.norm(x + self.grouped(self.attention(x, x, use_causal_mask=True), x))

        def get_config(self):
            return {**super().get_config(), "dim": self.dim}

    inputs = K.Input((5, 6))
    return K.Model(inputs, Block(name="block")(inputs), name="blocks")


@pytest.mark.parametrize("fmt", ["keras", "weights.h5"])
def test_a_custom_layer_holding_attention_layers_moves_both_ways(tmp_path, fmt):
    x = RNG.normal(size=(3, 5, 6)).astype("float32")
    block_model(ks), block_model(keras)  # both libraries know the class before either loads it
    for source, target, seed in ((keras, ks, 30), (ks, keras, 31)):
        written = block_model(source)
        written(x)
        written.set_weights([np.random.default_rng(seed).normal(scale=0.5, size=w.shape).astype("float32")
                             for w in written.get_weights()])
        path = tmp_path / f"{source.__name__}.{fmt}"
        if fmt == "keras":
            written.save(path)
            read = target.models.load_model(path)
        else:
            written.save_weights(path)
            read = block_model(target)
            read.load_weights(path)
        assert sm.max_abs_diff(sm.predictions(read, x), sm.predictions(written, x)) <= TOLERANCE
