"""Compiled models with the issue-13 losses and metrics, saved (.keras and .h5) and loaded both ways.

kerasette -> file -> kerasette keeps the compile configuration; kerasette -> file -> real Keras
comes back compiled and Keras's own ``evaluate`` gives the numbers ours gives; a Keras-written
compiled file loads compiled in kerasette and evaluates the same. kerasette runs on numpy and OpenCL.
"""

import json
import re

import numpy as np
import pytest
from keras_reference import keras, quiet

import kerasette as ks
from kerasette.saving.compile_config import training_config

RNG = np.random.default_rng(21)
N = 24
TOLERANCE = dict(rtol=2e-5, atol=2e-6)


def _setup(name, library):
    """(model, x, y, compile kwargs) for one task, written against either library's API."""
    L, M, layers = library.losses, library.metrics, library.layers
    x = RNG.normal(size=(N, 4)).astype("float32") if name != "segmentation" else \
        RNG.normal(size=(N, 4, 4, 2)).astype("float32")
    if name == "binary":
        model = library.Sequential([library.Input((4,)), layers.Dense(1, activation="sigmoid")])
        y = (x[:, :1] > 0).astype("float32")
        compiled = dict(loss=L.BinaryFocalCrossentropy(gamma=1.5, apply_class_balancing=True),
                        metrics=["auc", M.AUC(curve="PR", name="pr_auc"), M.Precision(name="prec"), "recall",
                                 M.F1Score(average="micro", threshold=0.5), M.BinaryIoU(name="biou"),
                                 M.SensitivityAtSpecificity(0.5, name="sens"), M.TruePositives(name="tp")])
    elif name == "categorical":
        model = library.Sequential([library.Input((4,)), layers.Dense(3, activation="softmax")])
        y = np.eye(3, dtype="float32")[np.argmax(x[:, :3], axis=1)]
        compiled = dict(loss="categorical_focal_crossentropy",
                        metrics=["categorical_hinge", "kl_divergence", M.OneHotMeanIoU(num_classes=3, name="miou"),
                                 M.FBetaScore(beta=2.0, average="macro", name="fbeta"), M.Recall(top_k=2, name="r2")])
    elif name == "regression":
        model = library.Sequential([library.Input((4,)), layers.Dense(3)])
        y = (x[:, :3] * 2 + 1).astype("float32")
        compiled = dict(loss=L.LogCosh(), metrics=["mape", "mean_squared_logarithmic_error", M.R2Score(name="r2"),
                                                   M.RootMeanSquaredError(name="rmse"), "pearson_correlation",
                                                   M.CosineSimilarity(name="cos")])
    else:
        model = library.Sequential([library.Input((4, 4, 2)), layers.Conv2D(1, 1, activation="sigmoid")])
        y = (x[..., :1] > 0).astype("float32")
        compiled = dict(loss=L.Dice(axis=[1, 2, 3]), metrics=[M.BinaryIoU(target_class_ids=[1], name="fg_iou"),
                                                               "poisson"])
    return model, x, y, compiled


SETUPS = ["binary", "categorical", "regression", "segmentation"]


def _evaluate(model, x, y):
    logs = quiet(lambda: model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True))
    return {key: np.asarray(keras.ops.convert_to_numpy(value)) if not isinstance(value, float) else value
            for key, value in logs.items()}


def _as_keras_names_them_from_h5(logs, compiled):
    """Keras reads string metrics of an .h5 file as new default-named objects ("mape" -> its class's default
    name, "auc" -> "auc_1" when an "auc" exists): Keras's own .h5 round trip does the same."""
    strings = {s: re.sub(r"_\d+$", "", ks.metrics.get(s).name) for s in compiled["metrics"] if isinstance(s, str)}
    return {strings.get(key, key): value for key, value in logs.items()}


def _same_logs(ours, theirs):
    assert set(ours) == set(theirs)
    for key in ours:
        np.testing.assert_allclose(np.asarray(ours[key]), np.asarray(theirs[key]), err_msg=key, **TOLERANCE)


@pytest.mark.parametrize("fmt", ["keras", "h5"])
@pytest.mark.parametrize("name", SETUPS)
def test_kerasette_file_keeps_its_compile_config_and_real_keras_evaluates_the_same(backend, tmp_path, name, fmt):
    model, x, y, compiled = _setup(name, ks)
    model.compile(ks.optimizers.Adam(0.01), **compiled)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    ours = _evaluate(model, x, y)
    path = tmp_path / f"{name}.{fmt}"
    model.save(path)

    loaded = ks.models.load_model(path)
    assert loaded.compiled
    k3 = fmt == "keras"
    assert json.dumps(training_config(loaded, k3), sort_keys=True) == json.dumps(training_config(model, k3),
                                                                                    sort_keys=True)
    _same_logs(_evaluate(loaded, x, y), ours)

    kmodel = quiet(lambda: keras.models.load_model(path))
    assert kmodel.compiled
    assert type(kmodel.loss).__name__ == type(compiled["loss"]).__name__ or isinstance(compiled["loss"], str)
    theirs = _evaluate(kmodel, x, y)
    if fmt == "h5":
        theirs = {re.sub(r"_\d+$", "", key): value for key, value in theirs.items()}
        ours = _as_keras_names_them_from_h5(ours, compiled)
    _same_logs(theirs, ours)


@pytest.mark.parametrize("fmt", ["keras", "h5"])
@pytest.mark.parametrize("name", SETUPS)
def test_keras_file_loads_compiled_in_kerasette_and_evaluates_the_same(backend, tmp_path, name, fmt):
    kmodel, x, y, compiled = _setup(name, keras)
    quiet(lambda: kmodel.compile(keras.optimizers.Adam(0.01), **compiled))
    quiet(lambda: kmodel.fit(x, y, epochs=2, batch_size=8, verbose=0))
    theirs = _evaluate(kmodel, x, y)
    path = tmp_path / f"{name}.{fmt}"
    quiet(lambda: kmodel.save(path))
    model = ks.models.load_model(path)
    assert model.compiled
    _same_logs(_evaluate(model, x, y), theirs)
