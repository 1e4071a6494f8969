"""The benchmark models, defined once for every framework, and the shared data files.

MLP: 784-512-512-10, ReLU, Dropout(0.2) after each hidden layer, softmax, RMSprop.
CNN: Conv2D(32, 3x3, ReLU) -> Conv2D(64, 3x3, ReLU) -> MaxPooling2D(2x2) -> Dropout(0.25) -> Flatten
     -> Dense(128, ReLU) -> Dropout(0.5) -> Dense(10, softmax), Adam.
Both train on Fashion-MNIST with sparse categorical cross-entropy, accuracy as the metric, batch 128.
kerasette and Keras 3 build them from the same code (the same API); plain PyTorch gets the same
layers as ``torch.nn`` modules (NCHW, logits + ``CrossEntropyLoss``, the usual PyTorch form).
"""

import os

import numpy as np

BATCH = 128
MODELS = ("mlp", "cnn")
OPTIMIZERS = {"mlp": "rmsprop", "cnn": "adam"}
# Hyperparameters shared by every framework (Keras's defaults; PyTorch gets the same numbers).
LEARNING_RATE = 1e-3
RHO, BETAS, EPSILON = 0.9, (0.9, 0.999), 1e-7


def build_keras_api(keras, name):
    """The model ``name`` with a Keras-compatible module (``kerasette`` or ``keras``); returns (model, optimizer)."""
    layers = keras.layers
    if name == "mlp":
        model = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(512, activation="relu"), layers.Dropout(0.2),
            layers.Dense(512, activation="relu"), layers.Dropout(0.2),
            layers.Dense(10, activation="softmax"),
        ])
        optimizer = keras.optimizers.RMSprop(learning_rate=LEARNING_RATE, rho=RHO, epsilon=EPSILON)
    else:
        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ])
        optimizer = keras.optimizers.Adam(learning_rate=LEARNING_RATE, beta_1=BETAS[0], beta_2=BETAS[1],
                                          epsilon=EPSILON)
    model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    return model


def build_torch(torch, name):
    """The same model as ``torch.nn`` modules with its optimizer: (module, optimizer)."""
    nn = torch.nn
    if name == "mlp":
        module = nn.Sequential(
            nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(512, 10),
        )
        optimizer = torch.optim.RMSprop(module.parameters(), lr=LEARNING_RATE, alpha=RHO, eps=EPSILON)
    else:
        module = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(),
            nn.Conv2d(32, 64, 3), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
            nn.Linear(64 * 12 * 12, 128), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(128, 10),
        )
        optimizer = torch.optim.Adam(module.parameters(), lr=LEARNING_RATE, betas=BETAS, eps=EPSILON)
    return module, optimizer


def flops_per_sample(name):
    """Multiply-adds x 2 of one training sample (forward + both backward GEMMs; the first layer's input
    gradient is not needed and not counted)."""
    if name == "mlp":
        forward = 2 * (784 * 512 + 512 * 512 + 512 * 10)
        return forward + 2 * forward - 2 * 784 * 512
    conv1, conv2 = 2 * 26 * 26 * 9 * 1 * 32, 2 * 24 * 24 * 9 * 32 * 64
    dense = 2 * (9216 * 128 + 128 * 10)
    forward = conv1 + conv2 + dense
    return forward + 2 * forward - conv1


# ----- data ------------------------------------------------------------------
def write_data(folder):
    """Load Fashion-MNIST once (kerasette's loader) and save float32 arrays every worker can read."""
    import kerasette

    (x_train, y_train), (x_test, y_test) = kerasette.datasets.fashion_mnist.load_data()
    os.makedirs(folder, exist_ok=True)
    np.save(os.path.join(folder, "x_train.npy"), (x_train.astype("float32") / 255.0))
    np.save(os.path.join(folder, "y_train.npy"), y_train.astype("int64"))
    np.save(os.path.join(folder, "x_test.npy"), (x_test.astype("float32") / 255.0))
    np.save(os.path.join(folder, "y_test.npy"), y_test.astype("int64"))


def read_data(folder, name, split, count):
    """``count`` samples of ``split`` ("train" or "test") shaped for ``name`` (NHWC for the CNN)."""
    # Memory-mapped, then copied: only the samples used are ever resident, so the peak memory of a
    # training run is not set by loading the file.
    x = np.array(np.load(os.path.join(folder, f"x_{split}.npy"), mmap_mode="r")[:count])
    y = np.array(np.load(os.path.join(folder, f"y_{split}.npy"), mmap_mode="r")[:count])
    return (x.reshape(len(x), 784) if name == "mlp" else x[..., None]), y
