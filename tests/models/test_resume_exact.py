"""Issue 12 item 11: resuming from a saved model repeats an uninterrupted run bit for bit (numpy backend),
with shuffling and Dropout on: 2 epochs == 1 epoch + save + load in a new process + 1 epoch."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

SCRIPT = textwrap.dedent('''
    import sys
    import numpy as np
    import kerasette as keras
    from kerasette import layers

    mode, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 6)).astype("float32")
    y = rng.integers(0, 3, size=40)

    def build():
        model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), layers.Dropout(0.5),
                                  layers.Dense(16, activation="relu"), layers.Dropout(0.3),
                                  layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    if mode == "straight":
        keras.utils.set_random_seed(11)
        model = build()
        model.fit(x, y, epochs=2, batch_size=8, shuffle=True, verbose=0)
    elif mode == "first":
        keras.utils.set_random_seed(11)
        model = build()
        model.fit(x, y, epochs=1, batch_size=8, shuffle=True, verbose=0)
        model.save(path)
    else:  # a fresh process with a different global seed: everything needed must come from the file
        keras.utils.set_random_seed(999)
        model = keras.models.load_model(path)
        model.fit(x, y, epochs=2, initial_epoch=model.epochs_trained, batch_size=8, shuffle=True, verbose=0)
    np.savez(out, *model.get_weights())
''')


def _run(tmp_path, mode, model_file, out):
    env_script = tmp_path / "resume.py"
    env_script.write_text(SCRIPT)
    result = subprocess.run([sys.executable, str(env_script), mode, str(model_file), str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    with np.load(out) as data:
        return [data[f"arr_{i}"] for i in range(len(data.files))]


@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_two_epochs_equal_one_epoch_save_load_in_a_new_process_and_one_more(tmp_path, extension):
    model_file = tmp_path / f"model{extension}"
    straight = _run(tmp_path, "straight", model_file, tmp_path / "straight.npz")
    _run(tmp_path, "first", model_file, tmp_path / "first.npz")
    resumed = _run(tmp_path, "resume", model_file, tmp_path / "resumed.npz")
    assert len(straight) == len(resumed)
    for a, b in zip(straight, resumed):
        np.testing.assert_array_equal(a, b)


def test_the_training_state_is_what_a_fresh_run_would_differ_in(tmp_path):
    """Without the saved state (shuffle seed, epoch count, dropout streams) the resumed run differs."""
    import kerasette as keras
    from kerasette.models import training_state

    model_file = tmp_path / "model.keras"
    straight = _run(tmp_path, "straight", model_file, tmp_path / "straight.npz")
    _run(tmp_path, "first", model_file, tmp_path / "first.npz")
    keras.utils.set_random_seed(999)
    model = keras.models.load_model(model_file)
    state = training_state.get_training_state(model)
    assert state["epochs_trained"] == 1 and state["epochs_run"] == 1 and state["shuffle_seed"] is not None
    assert len(state["seed_generators"]) == 2 and all(c > 0 for _, c in state["seed_generators"].values())
    model._shuffle_seed += 1  # a different shuffle: the weights must then differ
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 6)).astype("float32")
    y = rng.integers(0, 3, size=40)
    model.fit(x, y, epochs=2, initial_epoch=1, batch_size=8, verbose=0)
    assert any(not np.array_equal(a, b) for a, b in zip(straight, model.get_weights()))


def test_a_bad_training_state_is_refused_naming_the_file(tmp_path):
    import kerasette as keras
    from kerasette.models import training_state

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="the file.*`epochs_run`"):
        training_state.set_training_state(model, {"epochs_trained": 1, "epochs_run": -3})
    with pytest.raises(ValueError, match="`shuffle_seed`"):
        training_state.set_training_state(model, {"shuffle_seed": 1.5})
    assert model.epochs_trained == 0 and model._epochs_run == 0
