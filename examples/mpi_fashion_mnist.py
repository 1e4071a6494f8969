"""Data-parallel training on Fashion-MNIST over MPI: a Horovod Keras script, with kerasette's imports.

    mpiexec -n 2 python examples/mpi_fashion_mnist.py                       # 2 processes, shared memory
    mpiexec -n 2 --mca btl tcp,self python examples/mpi_fashion_mnist.py    # over TCP, as two machines talk
    mpiexec -H host1,host2 -n 2 python examples/mpi_fashion_mnist.py        # two machines
    python examples/mpi_fashion_mnist.py                                    # one process (the reference)

Options: [--epochs 5] [--batch-size 64] [--lr 0.001] [--limit N] [--backend opencl] [--checkpoint-dir DIR]

``--batch-size`` is each rank's batch (the global batch is ``size() * batch-size``) and the learning
rate is scaled by ``size()``, warmed up over the first epoch. Rank 0 prints progress, writes the
checkpoints and prints the test accuracy (and a ``RESULT {...}`` JSON line). Run as root, Open MPI
needs OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; with more ranks than cores,
add ``--oversubscribe``.
"""

import argparse
import json
import os
import time

import numpy as np

import kerasette as keras
import kerasette.distribute as hvd


def pin_opencl_device():
    """One OpenCL device per rank on a machine: the device numbered ``local_rank`` (modulo the devices present)."""
    if "KERASETTE_OPENCL_DEVICE" not in os.environ:
        import pyopencl as cl

        count = sum(len(platform.get_devices()) for platform in cl.get_platforms())
        os.environ["KERASETTE_OPENCL_DEVICE"] = str(hvd.local_rank() % max(count, 1))
    keras.backends.set_backend("opencl")


def build_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64, help="samples per batch on each rank")
    parser.add_argument("--lr", type=float, default=0.001, help="the single-process learning rate")
    parser.add_argument("--warmup-epochs", type=float, default=1.0)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N images only")
    parser.add_argument("--backend", default=None, help="numpy (default) or opencl")
    parser.add_argument("--checkpoint-dir", default=None, help="rank 0 saves the weights here after each epoch")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    # Horovod: initialize, and pin one device per process.
    hvd.init()
    if args.backend == "opencl":
        pin_opencl_device()
    elif args.backend:
        keras.backends.set_backend(args.backend)
    keras.utils.set_random_seed(args.seed)

    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    x_train, x_test = x_train.astype("float32") / 255, x_test.astype("float32") / 255
    if args.limit:
        x_train, y_train = x_train[: args.limit], y_train[: args.limit]

    model = build_model()
    # Horovod: scale the learning rate by the number of processes (the global batch is that much larger),
    # and wrap the optimizer so that the gradients are averaged over them.
    scaled_lr = args.lr * hvd.size()
    optimizer = hvd.DistributedOptimizer(keras.optimizers.Adam(learning_rate=scaled_lr))
    model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])

    callbacks = [
        # Horovod: start every process from rank 0's weights and optimizer state.
        hvd.callbacks.BroadcastGlobalVariablesCallback(0),
        # Horovod: average the epoch's metrics over the processes (before the callbacks that read them).
        hvd.callbacks.MetricAverageCallback(),
        # Horovod: warm the learning rate up from lr to lr * size().
        hvd.callbacks.LearningRateWarmupCallback(initial_lr=scaled_lr, warmup_epochs=args.warmup_epochs,
                                                 verbose=1),
    ]
    # Horovod: save checkpoints on rank 0 only, so that the other processes cannot corrupt them.
    if hvd.rank() == 0 and args.checkpoint_dir:
        path = os.path.join(args.checkpoint_dir, "checkpoint-{epoch}.weights.h5")
        callbacks.append(keras.callbacks.ModelCheckpoint(path, save_weights_only=True))

    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, callbacks=callbacks,
              verbose=2 if hvd.rank() == 0 else 0)
    seconds = time.perf_counter() - start
    loss, accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
    if hvd.rank() == 0:
        print(f"{hvd.size()} process(es), global batch {hvd.size() * args.batch_size}: test loss {loss:.4f}, "
              f"test accuracy {accuracy:.4f}, training {seconds:.1f} s "
              f"({len(x_train) * args.epochs / seconds:.0f} samples/s)")
        print("RESULT " + json.dumps({"size": hvd.size(), "accuracy": accuracy, "loss": loss, "seconds": seconds,
                                      "weights_sum": float(sum(np.abs(w).sum() for w in model.get_weights()))}))


if __name__ == "__main__":
    main()
