"""Every loss and metric added for issue 13 in ``compile``: by string name and as an instance, on numpy and OpenCL.

Each model fits a few steps; then ``evaluate``'s loss must equal the loss of
``predict``'s output, and every metric in the logs must equal the same metric
updated by hand with the same batches of predictions.
"""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers, losses, metrics, ops

RNG = np.random.default_rng(11)
N = 24


def _task(kind):
    """(model builder, x, y) for one kind of output."""
    if kind == "segmentation":
        x = RNG.normal(size=(N, 4, 4, 2)).astype("float32")
        return (lambda: ks.Sequential([ks.Input((4, 4, 2)), layers.Conv2D(1, 1, activation="sigmoid")]), x,
                (x[..., :1] > 0).astype("float32"))
    if kind == "classes3d":
        x = RNG.normal(size=(N, 4, 4, 2)).astype("float32")
        return (lambda: ks.Sequential([ks.Input((4, 4, 2)), layers.Conv2D(3, 1, activation="softmax")]), x,
                (x[..., 0] > 0).astype("int64") + (x[..., 1] > 1).astype("int64"))
    if kind == "sequence":
        x = RNG.normal(size=(N, 7, 3)).astype("float32")
        labels = RNG.integers(1, 5, (N, 3))
        labels[::3, 2] = 0  # some shorter label sequences (0 pads)
        return (lambda: ks.Sequential([ks.Input((7, 3)), layers.Dense(5)]), x, labels)
    x = RNG.normal(size=(N, 4)).astype("float32")
    if kind == "embedding":
        return (lambda: ks.Sequential([ks.Input((4,)), layers.Dense(3), layers.UnitNormalization()]), x,
                (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0).astype("int64"))
    units, activation, y = {
        "binary": (1, "sigmoid", (x[:, :1] > 0).astype("float32")),
        "multilabel": (3, "sigmoid", (x[:, :3] > 0).astype("float32")),
        "scores": (3, None, (x[:, :3] > 0).astype("float32")),
        "categorical": (4, "softmax", np.eye(4, dtype="float32")[np.argmax(x, axis=1)]),
        "sparse": (4, "softmax", np.argmax(x, axis=1)),
        "regression": (3, None, x[:, :3] * 2 + 1),
        "positive": (3, "softplus", np.abs(x[:, :3]) + 0.5),
    }[kind]
    return lambda: ks.Sequential([ks.Input((4,)), layers.Dense(units, activation=activation)]), x, y


LOSSES = [
    ("kl_divergence", losses.KLDivergence, "categorical"),
    ("poisson", losses.Poisson, "positive"),
    ("cosine_similarity", losses.CosineSimilarity, "regression"),
    ("hinge", losses.Hinge, "scores"),
    ("squared_hinge", losses.SquaredHinge, "scores"),
    ("categorical_hinge", losses.CategoricalHinge, "categorical"),
    ("log_cosh", losses.LogCosh, "regression"),
    ("msle", losses.MeanSquaredLogarithmicError, "positive"),
    ("mape", losses.MeanAbsolutePercentageError, "regression"),
    ("binary_focal_crossentropy", losses.BinaryFocalCrossentropy, "multilabel"),
    ("categorical_focal_crossentropy", losses.CategoricalFocalCrossentropy, "categorical"),
    ("categorical_generalized_cross_entropy", losses.CategoricalGeneralizedCrossEntropy, "sparse"),
    ("dice", losses.Dice, "segmentation"),
    ("tversky", losses.Tversky, "segmentation"),
    ("circle", losses.Circle, "embedding"),
    ("ctc", losses.CTC, "sequence"),
]


@pytest.mark.parametrize("form", ["string", "instance"])
@pytest.mark.parametrize("name, cls, kind", LOSSES, ids=[c[0] for c in LOSSES])
def test_loss_compiles_fits_and_evaluates_to_its_own_value(backend, name, cls, kind, form):
    build, x, y = _task(kind)
    model = build()
    loss = name if form == "string" else cls()
    model.compile(ks.optimizers.SGD(0.01), loss=loss)
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 2 and np.all(np.isfinite(history.history["loss"]))
    evaluated = model.evaluate(x, y, batch_size=N, verbose=0)
    direct = cls()(y, ops.convert_to_tensor(model.predict(x, batch_size=N, verbose=0)))
    assert evaluated == pytest.approx(float(direct), rel=1e-4, abs=1e-6)


METRIC_GROUPS = [
    ("binary", "binary_crossentropy",
     ["auc", "precision", "recall", "true_positives", "false_positives", "true_negatives", "false_negatives",
      "bce"],
     lambda: [metrics.AUC(curve="PR", name="pr_auc"), metrics.Precision(thresholds=[0.3, 0.7], name="p2"),
              metrics.SensitivityAtSpecificity(0.5), metrics.SpecificityAtSensitivity(0.5),
              metrics.PrecisionAtRecall(0.5), metrics.RecallAtPrecision(0.5), metrics.BinaryIoU(),
              metrics.F1Score(average="micro", threshold=0.5)]),
    ("multilabel", "binary_crossentropy", ["hinge", "squared_hinge", "f1_score"],
     lambda: [metrics.AUC(multi_label=True, name="ml_auc"), metrics.FBetaScore(average="macro", beta=2.0),
              metrics.Recall(class_id=1, name="recall_1"), metrics.Hinge()]),
    ("categorical", "categorical_crossentropy",
     ["categorical_hinge", "kl_divergence", "kld", "categorical_crossentropy", "f1_score"],
     lambda: [metrics.F1Score(average="weighted"), metrics.Precision(top_k=2, name="p_top2"),
              metrics.OneHotMeanIoU(num_classes=4), metrics.OneHotIoU(num_classes=4, target_class_ids=[1]),
              metrics.CategoricalCrossentropy(label_smoothing=0.1, name="cce_smooth"), metrics.KLDivergence()]),
    ("sparse", "sparse_categorical_crossentropy",
     ["sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy"],
     lambda: [metrics.SparseCategoricalCrossentropy(ignore_class=0, name="scce_ignore"),
              metrics.SparseTopKCategoricalAccuracy(k=2, name="top2")]),
    ("regression", "mse",
     ["mape", "msle", "root_mean_squared_error", "log_cosh_error", "logcosh", "cosine_similarity", "r2_score",
      "pearson_correlation", "concordance_correlation", "MAPE"],
     lambda: [metrics.R2Score(class_aggregation="variance_weighted_average", name="r2w"),
              metrics.RootMeanSquaredError(), metrics.LogCoshError(), metrics.CosineSimilarity(axis=-1),
              metrics.PearsonCorrelation(), metrics.ConcordanceCorrelation()]),
    ("positive", "poisson", ["poisson", "msle"], lambda: [metrics.Poisson(), metrics.MeanSquaredLogarithmicError()]),
    ("classes3d", "sparse_categorical_crossentropy", ["sparse_categorical_crossentropy"],
     lambda: [metrics.MeanIoU(num_classes=3, sparse_y_pred=False),
              metrics.IoU(num_classes=3, target_class_ids=[0, 2], sparse_y_pred=False)]),
]


def _fresh(metric):
    """A new metric of the same class and config, to replay the batches by hand."""
    if isinstance(metric, str):
        return metrics.resolve(metric)
    return type(metric).from_config(metric.get_config())


@pytest.mark.parametrize("form", ["string", "instance"])
@pytest.mark.parametrize("group", range(len(METRIC_GROUPS)), ids=[g[0] for g in METRIC_GROUPS])
def test_metrics_compile_fit_and_log_the_value_of_their_batches(backend, group, form):
    kind, loss, names, make = METRIC_GROUPS[group]
    specs = names if form == "string" else make()
    build, x, y = _task(kind)
    model = build()
    model.compile(ks.optimizers.Adam(0.01), loss=loss, metrics=specs)
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    logs = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    keys = [s if isinstance(s, str) else s.name for s in specs]
    assert set(keys) <= set(history.history) and set(keys) <= set(logs)
    predictions = model.predict(x, batch_size=8, verbose=0)
    for spec, key in zip(specs, keys):
        replay = _fresh(spec)
        for start in range(0, N, 8):
            replay.update_state(y[start:start + 8], predictions[start:start + 8])
        np.testing.assert_allclose(logs[key], replay.result().numpy(), rtol=2e-5, atol=1e-6, err_msg=key)
