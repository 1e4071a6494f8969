"""Config round trips of every Keras 3 loss and metric class, within kerasette and across to real Keras.

For each class with non-default arguments: ``get_config`` -> ``from_config`` gives
the same config; ``serialize`` -> ``deserialize`` gives the same class and config;
real Keras builds its class from our config (and keeps every argument it reports),
and we build ours from Keras's config.
"""

import json

import numpy as np
import pytest
from keras_reference import keras, quiet

from kerasette import losses, metrics

LOSSES = [
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5, "label_smoothing": 0.05}),
    ("CTC", {"reduction": "sum"}),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}),
    ("CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 3.0, "from_logits": True}),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.3}),
    ("CategoricalHinge", {"name": "ch"}),
    ("Circle", {"gamma": 32.0, "margin": 0.25, "remove_diagonal": False}),
    ("CosineSimilarity", {"axis": 0}),
    ("Dice", {"axis": [1, 2]}),
    ("Hinge", {"reduction": "none"}),
    ("Huber", {"delta": 0.5}),
    ("KLDivergence", {}),
    ("LogCosh", {}),
    ("MeanAbsoluteError", {}),
    ("MeanAbsolutePercentageError", {}),
    ("MeanSquaredError", {"reduction": "mean_with_sample_weight"}),
    ("MeanSquaredLogarithmicError", {}),
    ("Poisson", {}),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": -1}),
    ("SquaredHinge", {}),
    ("Tversky", {"alpha": 0.7, "beta": 0.3, "axis": [1, 2, 3]}),
]

METRICS = [
    ("AUC", {"num_thresholds": 50, "curve": "PR", "summation_method": "minoring", "multi_label": True,
             "num_labels": 3, "label_weights": [0.2, 0.3, 0.5], "from_logits": True}),
    ("AUC", {"thresholds": [0.2, 0.4, 0.9]}),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1, "axis": -1}),
    ("CategoricalHinge", {}),
    ("ConcordanceCorrelation", {"axis": 0}),
    ("CosineSimilarity", {"axis": -1}),
    ("F1Score", {"average": "macro", "threshold": 0.4}),
    ("FBetaScore", {"average": "weighted", "beta": 2.0}),
    ("FalseNegatives", {"thresholds": [0.2, 0.7]}),
    ("FalsePositives", {"thresholds": 0.3}),
    ("Hinge", {}),
    ("IoU", {"num_classes": 4, "target_class_ids": [1, 3], "ignore_class": 0}),
    ("KLDivergence", {}),
    ("LogCoshError", {}),
    ("MeanAbsolutePercentageError", {}),
    ("MeanIoU", {"num_classes": 3, "sparse_y_pred": False}),
    ("MeanSquaredLogarithmicError", {}),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [0, 2]}),
    ("OneHotMeanIoU", {"num_classes": 3, "ignore_class": 2}),
    ("PearsonCorrelation", {"axis": 0}),
    ("Poisson", {}),
    ("Precision", {"thresholds": [0.3, 0.6], "class_id": 1}),
    ("PrecisionAtRecall", {"recall": 0.7, "num_thresholds": 30, "class_id": 2}),
    ("R2Score", {"class_aggregation": None, "num_regressors": 2}),
    ("Recall", {"top_k": 2}),
    ("RecallAtPrecision", {"precision": 0.8}),
    ("RootMeanSquaredError", {}),
    ("SensitivityAtSpecificity", {"specificity": 0.6, "num_thresholds": 11}),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 3}),
    ("SparseTopKCategoricalAccuracy", {"k": 3, "from_sorted_ids": True}),
    ("SpecificityAtSensitivity", {"sensitivity": 0.4}),
    ("SquaredHinge", {}),
    ("Sum", {"name": "total"}),
    ("TrueNegatives", {}),
    ("TruePositives", {"thresholds": [0.0, 0.5, 1.0]}),
]

FAMILIES = [("loss", losses, keras.losses, name, kwargs) for name, kwargs in LOSSES] + \
           [("metric", metrics, keras.metrics, name, kwargs) for name, kwargs in METRICS]
IDS = [f"{family}-{name}-{i}" for i, (family, _, _, name, _) in enumerate(FAMILIES)]


def _plain(config):
    """The config as JSON would carry it (tuples become lists)."""
    return json.loads(json.dumps(config))


def _keras_config(obj):
    """Keras's config as Keras saves it (its serializer turns tensors such as AUC's label_weights into lists)."""
    return _plain(quiet(lambda: keras.saving.serialize_keras_object(obj))["config"])


def _same_items(ours, theirs, keys):
    for key in keys:
        a, b = (v["config"]["value"] if isinstance(v, dict) and v.get("class_name") == "__tensor__" else v
                for v in (ours[key], theirs[key]))
        if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
            np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-6)
        else:
            assert a == b or (isinstance(a, float) and a == pytest.approx(b)), (key, a, b)


@pytest.mark.parametrize("family, ours_module, keras_module, name, kwargs", FAMILIES, ids=IDS)
def test_config_round_trips_and_crosses_to_keras(family, ours_module, keras_module, name, kwargs):
    ours = getattr(ours_module, name)(**kwargs)
    config = _plain(ours.get_config())
    again = type(ours).from_config(config)
    assert _plain(again.get_config()) == config
    restored = ours_module.deserialize(_plain(ours_module.serialize(ours)))
    assert type(restored) is type(ours) and _plain(restored.get_config()) == config

    theirs = quiet(lambda: getattr(keras_module, name).from_config(config))  # Keras accepts our config
    their_config = _keras_config(theirs)
    _same_items(config, their_config, [key for key in their_config if key in config and key != "dtype"])
    shared = [key for key in their_config if key in config and (key != "name" or "name" in kwargs)]
    if family == "metric":
        assert their_config.get("dtype") == config["dtype"]

    from_keras = type(ours).from_config(_keras_config(quiet(lambda: getattr(keras_module, name)(**kwargs))))
    _same_items(_plain(from_keras.get_config()), config, shared)  # default names are made unique on each side


def test_every_keras_class_is_covered_here():
    keras_losses = {n for n in dir(keras.losses) if n[0].isupper() and n not in ("Loss", "LossFunctionWrapper")}
    keras_metrics = {n for n in dir(keras.metrics) if n[0].isupper() and n not in ("Metric", "Mean",
                                                                                   "MeanMetricWrapper")}
    covered_metrics = {name for name, _ in METRICS} | {"Accuracy", "BinaryAccuracy", "CategoricalAccuracy",
                                                       "MeanAbsoluteError", "MeanSquaredError",
                                                       "SparseCategoricalAccuracy", "TopKCategoricalAccuracy"}
    assert keras_losses == {name for name, _ in LOSSES}
    assert keras_metrics == covered_metrics
