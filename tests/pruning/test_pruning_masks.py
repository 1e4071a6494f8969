"""Mask computations on every backend: zero counts, ties, blocks (AVG/MAX), N:M, and TF-MOT's own expected masks."""

import numpy as np
import pytest

from kerasette import ops, pruning
from kerasette.pruning import pruning_utils
from kerasette.pruning.pruning_impl import Pruning


def masks_of(weights, sparsity):
    threshold, mask = pruning_utils.magnitude_mask(ops.convert_to_tensor(np.asarray(weights, "float32")), sparsity)
    return float(threshold.numpy()), mask.numpy()


@pytest.mark.parametrize("shape, sparsity", [((100,), 0.5), ((7, 13), 0.8), ((3, 3, 4, 5), 0.9), ((10,), 0.25),
                                             ((784, 16), 0.9), ((5,), 0.0), ((6,), 0.999)])
def test_exact_zero_count_is_size_minus_rounded_kept(backend, shape, sparsity):
    rng = np.random.default_rng(0)
    weights = rng.normal(size=shape).astype("float32")  # distinct magnitudes: no ties
    threshold, mask = masks_of(weights, sparsity)
    size = weights.size
    kept = max(int(np.rint(np.float32(size) * (np.float32(1) - np.float32(sparsity)))), 1)
    assert mask.shape == shape and set(np.unique(mask)) <= {0.0, 1.0}
    assert int((mask == 0).sum()) == size - kept
    magnitudes = np.abs(weights)
    assert threshold == np.sort(magnitudes.ravel())[::-1][kept - 1]
    assert magnitudes[mask == 1].min() >= magnitudes[mask == 0].max(initial=0.0)  # the smallest go


def test_threshold_and_mask_match_tf_mot_expected_values(backend):
    # TF-MOT's testConstructsMaskAndThresholdCorrectly: sparsity 0.200000018 of [1..10] keeps 8, threshold 3.
    threshold, mask = masks_of(np.arange(1, 11), 0.200000018)
    assert threshold == 3.0
    np.testing.assert_array_equal(mask, np.concatenate([np.zeros(2), np.ones(8)]))


def test_extreme_sparsity_keeps_one_weight(backend):
    _, mask = masks_of(np.linspace(1.0, 100.0, 100), 0.9999)  # TF-MOT's testExtremelySparseMask
    assert np.count_nonzero(mask) == 1 and mask[-1] == 1


def test_ties_at_the_threshold_are_all_kept(backend):
    # Keeping 4 of 8 reaches the tied 2.0s: TF-MOT keeps every weight >= the threshold, so 6 survive.
    weights = [0.5, 2.0, -2.0, 3.0, 2.0, 0.1, -2.0, 0.2]
    threshold, mask = masks_of(weights, 0.5)
    assert threshold == 2.0
    np.testing.assert_array_equal(mask, [0, 1, 1, 1, 1, 0, 1, 0])


def test_all_equal_weights_keep_everything(backend):
    _, mask = masks_of(np.full((4, 4), 0.3), 0.75)
    assert mask.sum() == 16


def test_sign_does_not_matter(backend):
    _, mask = masks_of([-5.0, 1.0, -0.5, 4.0], 0.5)
    np.testing.assert_array_equal(mask, [1, 0, 0, 1])


def block_reference(weights, block, pooling, sparsity):
    """Numpy reference: pool |w| over (0, 0)-aligned blocks (partial edge blocks averaged over their elements)."""
    h, w = weights.shape
    rows, cols = -(-h // block[0]), -(-w // block[1])
    pooled = np.zeros((rows, cols), "float32")
    for i in range(rows):
        for j in range(cols):
            part = np.abs(weights[i * block[0]:(i + 1) * block[0], j * block[1]:(j + 1) * block[1]])
            pooled[i, j] = part.max() if pooling == "MAX" else part.mean()
    kept = max(int(np.rint(np.float32(pooled.size) * (np.float32(1) - np.float32(sparsity)))), 1)
    threshold = np.sort(pooled.ravel())[::-1][kept - 1]
    block_mask = (pooled >= threshold).astype("float32")
    return np.kron(block_mask, np.ones(block))[:h, :w]


@pytest.mark.parametrize("pooling", ["AVG", "MAX"])
@pytest.mark.parametrize("shape, block", [((8, 6), (2, 2)), ((9, 7), (2, 3)), ((5, 12), (1, 4)), ((6, 4), (3, 1))])
def test_block_masks_against_a_numpy_reference(backend, pooling, shape, block):
    weights = np.random.default_rng(1).normal(size=shape).astype("float32")
    threshold, mask = pruning_utils.block_magnitude_mask(ops.convert_to_tensor(weights), 0.5, block, pooling)
    np.testing.assert_array_equal(mask.numpy(), block_reference(weights, block, pooling, 0.5))
    # whole blocks go: every block is all zeros or all ones
    block_counts = (-(-shape[0] // block[0]), -(-shape[1] // block[1]))
    blocks = np.kron(np.ones(block_counts), np.ones(block))[:shape[0], :shape[1]]
    assert blocks.shape == mask.shape


@pytest.mark.parametrize("pooling, weights", [
    ("AVG", [[0.1, 0.1, 0.2, 0.2], [0.1, 0.1, 0.2, 0.2], [0.3, 0.3, 0.4, 0.4], [0.3, 0.3, 0.4, 0.4]]),
    ("MAX", [[0.1, 0.0, 0.2, 0.0], [0.0, -0.1, 0.0, -0.2], [0.3, 0.0, 0.4, 0.0], [0.0, -0.3, 0.0, -0.4]]),
])
def test_block_masks_match_tf_mot_expected_values(backend, pooling, weights):
    _, mask = pruning_utils.block_magnitude_mask(ops.convert_to_tensor(np.asarray(weights, "float32")), 0.5,
                                                 (2, 2), pooling)
    np.testing.assert_array_equal(mask.numpy(), [[0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]])


def test_avg_and_max_pooling_choose_different_blocks(backend):
    # Block 0 has one large weight (max 1.0, mean 0.25); block 1 is uniformly medium (max 0.5, mean 0.5).
    weights = np.array([[1.0, 0.0, 0.5, 0.5], [0.0, 0.0, 0.5, 0.5]], "float32")
    _, avg = pruning_utils.block_magnitude_mask(ops.convert_to_tensor(weights), 0.5, (2, 2), "AVG")
    _, mx = pruning_utils.block_magnitude_mask(ops.convert_to_tensor(weights), 0.5, (2, 2), "MAX")
    np.testing.assert_array_equal(avg.numpy(), [[0, 0, 1, 1], [0, 0, 1, 1]])
    np.testing.assert_array_equal(mx.numpy(), [[1, 1, 0, 0], [1, 1, 0, 0]])


@pytest.mark.parametrize("weights, expected, m_by_n", [  # TF-MOT's testSparsityMbyNMaskingSimple cases
    ([[0.74, 0.68], [-0.89, -0.45], [-1.68, 1.24], [0.31, -0.6]],
     [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], (2, 4)),
    ([[[[-0.36, -0.77], [-0.43, -0.18], [0.12, 1.36], [0.77, 0.96]]]],
     [[[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]]], (2, 4)),
    ([[[[-0.36, -0.77], [-0.43, -0.18], [0.12, 1.36], [0.77, 0.96]]]],
     [[[[0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]]], (1, 2)),
    ([[1.92, -0.21], [-0.19, 0.57], [1.1, -0.42]], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], (2, 4)),
    ([[[[-0.37, 1.85], [0.82, 0.07], [1.17, 0.5]]]], [[[[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]]], (2, 4)),
])
def test_m_by_n_masks_match_tf_mot_expected_values(backend, weights, expected, m_by_n):
    mask = pruning_utils.m_by_n_mask(ops.convert_to_tensor(np.asarray(weights, "float32")), m_by_n)
    np.testing.assert_array_equal(mask.numpy(), expected)


def test_m_by_n_masks_keep_n_minus_m_of_every_group_of_input_channels(backend):
    weights = np.random.default_rng(2).normal(size=(3, 3, 16, 8)).astype("float32")
    mask = pruning_utils.m_by_n_mask(ops.convert_to_tensor(weights), (2, 4)).numpy()
    groups = mask.reshape(3, 3, 4, 4, 8)  # input channels in groups of 4
    assert (groups.sum(axis=3) == 2).all()
    kept = np.abs(weights).reshape(3, 3, 4, 4, 8)
    smallest_kept = np.where(groups == 1, kept, np.inf).min(axis=3)
    largest_pruned = np.where(groups == 0, kept, -np.inf).max(axis=3)
    assert (smallest_kept >= largest_pruned).all()


def test_pruning_object_follows_a_schedule_step_by_step(backend):
    # TF-MOT's testConditionalMaskUpdate: sparsities 0, .1, .1, .3, .3, .5... give 100, 90, 90, 70, 70, 50 weights.
    weight = ops.Variable(np.linspace(1.0, 100.0, 100).astype("float32"))
    mask, threshold = ops.Variable(np.ones(100, "float32")), ops.Variable(0.0)
    sparsities = [0.0, 0.1, 0.1, 0.3, 0.3, 0.5, 0.5, 0.5, 0.5, 0.5]
    step = [0]
    p = Pruning(lambda: step[0], [(weight, mask, threshold)], lambda s: (True, sparsities[s]), (1, 1), "AVG")
    counts = []
    for step[0] in range(10):
        p.conditional_mask_update()
        p.weight_mask_op()
        counts.append(int(np.count_nonzero(weight.numpy())))
    assert counts == [100, 90, 90, 70, 70, 50, 50, 50, 50, 50]
    assert float(threshold.numpy()) == 51.0


def test_kept_count_rounds_half_to_even_in_float32():
    assert pruning_utils.kept_count(10, 0.25) == 8  # 7.5 -> 8
    assert pruning_utils.kept_count(10, 0.35) == 6  # 6.5 -> 6
    assert pruning_utils.kept_count(5, 0.999) == 1
    assert [pruning_utils.kept_count(1000, s) for s in (0.5, 0.8, 0.9)] == [500, 200, 100]


def test_schedule_sparsity_feeds_the_mask(backend):
    weight = ops.Variable(np.arange(1, 21, dtype="float32"))
    mask, threshold = ops.Variable(np.ones(20, "float32")), ops.Variable(0.0)
    schedule = pruning.PolynomialDecay(0.0, 0.5, 0, 10, power=1, frequency=5)
    step = [5]
    p = Pruning(lambda: step[0], [(weight, mask, threshold)], schedule, (1, 1), "AVG")
    assert p.conditional_mask_update() is True
    assert int((mask.numpy() == 0).sum()) == 5  # sparsity 0.25 of 20
    step[0] = 6
    assert p.conditional_mask_update() is False
