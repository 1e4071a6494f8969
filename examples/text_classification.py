"""Text classification from raw strings: TextVectorization + Embedding + Bidirectional LSTM.

The corpus is real text that installs offline: Debian's ``fortunes`` package (the fortune-mod cookie
files, ``apt-get install fortunes``), which keeps one topic per file under /usr/share/games/fortunes,
quotations separated by lines holding ``%``. The task: tell which of four files a quotation comes
from (computers, politics, science, songs-poems). The topics overlap, so this is a small, honest task,
not a benchmark.

The model takes the raw strings: ``Input(dtype="string")`` -> ``TextVectorization`` (vocabulary learned
with ``adapt`` on the training texts) -> ``Embedding`` -> ``Bidirectional(LSTM)`` -> ``Dense``. It is
trained with early stopping on a validation split, saved to ``.keras`` with its vocabulary and
reloaded. Only the import line differs from a Keras 3 script: ``import kerasette as keras``.

Run: ``python examples/text_classification.py [--epochs 15] [--backend opencl]``.
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np

import kerasette as keras
from kerasette import layers

FORTUNES = "/usr/share/games/fortunes"
CATEGORIES = ["computers", "politics", "science", "songs-poems"]


def load_fortunes(root=FORTUNES, categories=CATEGORIES):
    """Quotations and their category index, from the fortune files of ``categories``."""
    texts, labels = [], []
    for label, name in enumerate(categories):
        path = os.path.join(root, name)
        if not os.path.exists(path):
            sys.exit(f"{path} not found: install Debian's fortune cookies with `apt-get install fortunes`.")
        with open(path, encoding="utf-8", errors="replace") as handle:
            quotes = [q.strip() for q in handle.read().split("\n%\n") if q.strip() and q.strip() != "%"]
        texts += quotes
        labels += [label] * len(quotes)
    return np.array(texts, dtype=object), np.array(labels, dtype="int64")


def split(texts, labels, test_fraction=0.2, seed=0):
    """A shuffled train/test split that keeps each category's share."""
    rng = np.random.default_rng(seed)
    test = np.zeros(len(labels), dtype=bool)
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        test[members[: int(len(members) * test_fraction)]] = True
    train_order, test_order = rng.permutation(np.flatnonzero(~test)), np.flatnonzero(test)
    return (texts[train_order], labels[train_order]), (texts[test_order], labels[test_order])


def build_model(vectorize, num_classes, recurrent):
    text = keras.Input(shape=(1,), dtype="string", name="text")
    x = vectorize(text)
    x = layers.Embedding(vectorize.vocabulary_size(), 32, mask_zero=True)(x)
    if recurrent:
        x = layers.Bidirectional(layers.LSTM(32))(x)
    else:
        x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.3)(x)
    return keras.Model(text, layers.Dense(num_classes, activation="softmax")(x))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--backend", default=None, help="numpy (default) or opencl")
    args = parser.parse_args()
    if args.backend:
        keras.backends.set_backend(args.backend)
    keras.utils.set_random_seed(0)

    texts, labels = load_fortunes()
    (x_train, y_train), (x_test, y_test) = split(texts, labels)
    print(f"{len(texts)} quotations from {FORTUNES}: {len(x_train)} to train, {len(x_test)} to test")
    majority = np.bincount(y_train).argmax()
    print(f"Always guessing the largest class ({CATEGORIES[majority]}): {np.mean(y_test == majority):.3f}")

    vectorize = layers.TextVectorization(max_tokens=8000, output_sequence_length=48)
    vectorize.adapt(x_train)
    print(f"Vocabulary: {vectorize.vocabulary_size()} tokens, most frequent {vectorize.get_vocabulary()[2:8]}")

    recurrent = hasattr(layers, "LSTM") and hasattr(layers, "Bidirectional")
    if not recurrent:
        print("kerasette.layers.LSTM/Bidirectional are not in this version: using GlobalAveragePooling1D instead.")
    model = build_model(vectorize, len(CATEGORIES), recurrent)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    model.fit(x_train[:, None], y_train, validation_split=0.1, epochs=args.epochs, batch_size=32, callbacks=[stop],
              verbose=2)
    print(f"Training took {time.perf_counter() - start:.0f} s")
    loss, accuracy = model.evaluate(x_test[:, None], y_test, verbose=0)
    print(f"Test accuracy: {accuracy:.3f} (loss {loss:.3f})")

    path = os.path.join(tempfile.mkdtemp(), "fortunes.keras")
    model.save(path)
    reloaded = keras.models.load_model(path)
    same = np.allclose(reloaded.predict(x_test[:64, None], verbose=0), model.predict(x_test[:64, None], verbose=0),
                       atol=1e-6)
    print(f"Reloaded from {path}: same predictions: {same}")
    samples = np.array([["My program crashed because the compiler ran out of memory."],
                        ["The senator promised lower taxes before the election."],
                        ["The physicist measured the speed of light in the laboratory."]])
    for sample, probs in zip(samples[:, 0], reloaded.predict(samples, verbose=0)):
        print(f"  {CATEGORIES[int(probs.argmax())]:>12} ({probs.max():.2f}): {sample}")


if __name__ == "__main__":
    main()
