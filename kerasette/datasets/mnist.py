"""MNIST: 70,000 28x28 grayscale images of handwritten digits 0-9 (LeCun, Cortes and Burges)."""

from kerasette.datasets import _files, _idx

# sha256 of the gzip files as published by LeCun et al. and served unchanged by the
# Google CVDF and PyTorch (ossci) mirrors.
SOURCE = _files.DatasetSource(
    name="mnist",
    files=(
        _files.RemoteFile(
            "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
        ),
        _files.RemoteFile(
            "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
        ),
        _files.RemoteFile(
            "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
        ),
        _files.RemoteFile(
            "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"
        ),
    ),
    mirrors=(
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
    ),
    how_to_get=(
        "To get the data: download the four files from https://ossci-datasets.s3.amazonaws.com/mnist/ "
        "and put them in $KERASETTE_DATA/mnist/ (or ~/.kerasette/datasets/mnist/)."
    ),
)


def load_data():
    """Load MNIST as Keras does.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,); labels are 0-9.

    Raises:
        FileNotFoundError: the files are on no search path and could not be downloaded.
        ValueError: a file is corrupt (the message names it).
    """
    return _idx.load_image_classification(_files.locate(SOURCE))
