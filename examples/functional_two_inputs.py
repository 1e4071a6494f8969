"""A functional model with two inputs and two named outputs, on Fashion-MNIST.

    python examples/functional_two_inputs.py [--epochs 2] [--limit 12000]

Inputs: the image and a small feature vector (row and column ink profiles).
Outputs: ``cls`` (the class, softmax) and ``ink`` (the image's mean brightness,
regression). A shared Dense layer is applied to both branches, merged with
Add and Concatenate, and the model trains with a loss dict and loss_weights.
The config round trip at the end rebuilds the model and checks it predicts
the same.
"""

import argparse

import numpy as np

import kerasette as keras
from kerasette import layers


def build_model():
    image = keras.Input(shape=(28, 28, 1), name="image")
    profile = keras.Input(shape=(56,), name="profile")
    x = layers.Conv2D(16, 3, activation="relu")(image)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.Flatten()(layers.MaxPooling2D(2)(x))
    from_image = layers.Dense(32, name="image_embedding")(x)
    from_profile = layers.Dense(32, name="profile_embedding")(profile)
    shared = layers.Dense(32, activation="relu", name="shared")
    a, b = shared(from_image), shared(from_profile)
    merged = layers.Concatenate()([layers.Add()([a, b]), a])
    cls = layers.Dense(10, activation="softmax", name="cls")(merged)
    ink = layers.Dense(1, name="ink")(merged)
    return keras.Model(inputs=[image, profile], outputs={"cls": cls, "ink": ink})


def features(images):
    return np.concatenate([images.mean(axis=2), images.mean(axis=1)], axis=1).reshape(len(images), 56)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=12000)
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    x_train, y_train = x_train[: args.limit].astype("float32") / 255, y_train[: args.limit]
    x_test = x_test.astype("float32") / 255

    def inputs(images):
        return [images[..., None], features(images)]

    def targets(images, labels):
        return {"cls": labels, "ink": images.mean(axis=(1, 2))[:, None]}

    model = build_model()
    model.summary()
    model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "ink": "mse"},
                  loss_weights={"cls": 1.0, "ink": 10.0}, metrics={"cls": ["accuracy"]})
    history = model.fit(inputs(x_train), targets(x_train, y_train), batch_size=128, epochs=args.epochs,
                        validation_split=0.1, verbose=2)
    print("loss by epoch:", [round(v, 4) for v in history.history["loss"]])
    results = model.evaluate(inputs(x_test), targets(x_test, y_test), verbose=0, return_dict=True)
    print("test:", {k: round(v, 4) for k, v in results.items()})

    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    a, b = model.predict(inputs(x_test[:100]), verbose=0), clone.predict(inputs(x_test[:100]), verbose=0)
    print("rebuilt from config, largest prediction difference:",
          max(float(np.abs(a[k] - b[k]).max()) for k in a))


if __name__ == "__main__":
    main()
