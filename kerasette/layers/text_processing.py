"""The string steps of TextVectorization, as TensorFlow's string ops perform them for Keras.

- ``"lower"``: ``tf.strings.lower`` without an encoding, which lowercases ASCII letters only
  (``"École"`` stays ``"École"``), so kerasette and Keras build the same vocabulary.
- ``"strip_punctuation"``: Keras's regular expression, which removes ASCII punctuation only.
- ``"whitespace"``: ``tf.strings.split`` with no separator: runs of ASCII whitespace separate tokens,
  and leading or trailing whitespace gives no empty token.
- ``"character"``: one token per Unicode code point (``tf.strings.unicode_split``).
- n-grams: ``tf.strings.ngrams(width, separator=" ")``: for each width in order, every run of that many
  consecutive tokens joined by a space; a document shorter than a width has none of that width.
"""

import re

import numpy as np

PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")


def standardize(texts, mode):
    """Apply a built-in standardization to an object array of strings.

    Args:
        texts: a numpy object array of ``str``.
        mode: ``"lower_and_strip_punctuation"``, ``"lower"``, ``"strip_punctuation"`` or None.

    Returns:
        A new object array of the same shape.

    Example:
        >>> import numpy as np
        >>> standardize(np.array(["Hello, World! École"], dtype=object), "lower_and_strip_punctuation").tolist()
        ['hello world École']
    """
    flat = texts.reshape(-1).tolist()
    if mode in ("lower", "lower_and_strip_punctuation"):
        flat = [text.translate(_ASCII_LOWER) for text in flat]
    if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
        flat = [PUNCTUATION.sub("", text) for text in flat]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(texts.shape)


def split(text, mode):
    r"""The tokens of one string.

    Args:
        text: a ``str``.
        mode: ``"whitespace"`` or ``"character"``.

    Returns:
        A list of ``str``.

    Example:
        >>> split("  the quick\tfox ", "whitespace")
        ['the', 'quick', 'fox']
    """
    if mode == "character":
        return list(text)
    return [token for token in _ASCII_WHITESPACE.split(text) if token]


def ngrams(tokens, widths):
    """The n-grams of a token list, width by width, as ``tf.strings.ngrams`` with ``separator=" "``.

    Args:
        tokens: a list of ``str``.
        widths: a tuple of positive ints.

    Returns:
        A list of ``str``.

    Example:
        >>> ngrams(["a", "b", "c"], (1, 2))
        ['a', 'b', 'c', 'a b', 'b c']
    """
    out = []
    for width in widths:
        out.extend(" ".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1))
    return out
