"""Fashion-MNIST: 70,000 28x28 grayscale images of clothing in 10 classes (Zalando Research).

Classes: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.
"""

from kerasette.datasets import _files, _idx

# sha256 of the gzip files as published by Zalando Research (26,421,880 bytes for the
# training images, MD5s as in their README), then of the decompressed contents, computed
# from Debian's dataset-fashion-mnist copies: Debian stores the files without the gzip
# file-name field, so its gzip bytes differ while the data is the same.
SOURCE = _files.DatasetSource(
    name="fashion-mnist",
    files=(
        _files.RemoteFile(
            "train-images-idx3-ubyte.gz",
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ),
        _files.RemoteFile(
            "train-labels-idx1-ubyte.gz",
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ),
        _files.RemoteFile(
            "t10k-images-idx3-ubyte.gz",
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ),
        _files.RemoteFile(
            "t10k-labels-idx1-ubyte.gz",
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        ),
    ),
    mirrors=(
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ),
    how_to_get=(
        "To get the data: `apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or download the four files "
        "from https://github.com/zalandoresearch/fashion-mnist and put them in $KERASETTE_DATA/fashion-mnist/."
    ),
)


def load_data():
    """Load Fashion-MNIST as Keras does.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,); labels are 0-9.

    Raises:
        FileNotFoundError: the files are on no search path and could not be downloaded.
        ValueError: a file is corrupt (the message names it).
    """
    return _idx.load_image_classification(_files.locate(SOURCE))
