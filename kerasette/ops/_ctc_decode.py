"""Private: CTC decoding on the host (numpy), greedy and by prefix beam search."""

from __future__ import annotations

import numpy as np


def greedy(logits, lengths, merge_repeated, blank):
    """The best class per frame, repeats merged (optionally) and blanks dropped; scores: -sum of best logits."""
    batch, frames, _ = logits.shape
    best = logits.argmax(axis=-1)
    valid = np.arange(frames)[None, :] < lengths[:, None]
    scores = -np.sum(np.where(valid, logits.max(axis=-1), 0.0), axis=1, keepdims=True)
    paths = np.full((1, batch, frames), -1, dtype=np.int64)
    for b in range(batch):
        out, previous = [], None
        for t in range(int(min(lengths[b], frames))):
            c = int(best[b, t])
            repeat = merge_repeated and c == previous
            previous = c
            if c != blank and not repeat:
                out.append(c)
        paths[0, b, :len(out)] = out
    return paths, scores


def _log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _add(beams, prefix, blank_part, label_part):
    old_blank, old_label = beams.get(prefix, (-np.inf, -np.inf))
    beams[prefix] = (np.logaddexp(old_blank, blank_part), np.logaddexp(old_label, label_part))


def beam_search(logits, lengths, beam_width, top_paths, blank):
    """Prefix beam search: each prefix keeps log P(ending in blank) and log P(ending in its last label)."""
    batch, frames, classes = logits.shape
    log_probs = _log_softmax(logits.astype(np.float64))
    paths = np.full((top_paths, batch, frames), -1, dtype=np.int64)
    scores = np.full((batch, top_paths), -np.inf)
    for b in range(batch):
        beams = {(): (0.0, -np.inf)}  # prefix -> (log p blank-ended, log p label-ended)
        for t in range(int(min(lengths[b], frames))):
            step = log_probs[b, t]
            grown = {}

            for prefix, (p_blank, p_label) in beams.items():
                total = np.logaddexp(p_blank, p_label)
                _add(grown, prefix, total + step[blank], -np.inf)  # a blank keeps the prefix
                for c in range(classes):
                    if c == blank:
                        continue
                    if prefix and prefix[-1] == c:
                        _add(grown, prefix, -np.inf, p_label + step[c])  # the repeat merges into the last label
                        _add(grown, prefix + (c,), -np.inf, p_blank + step[c])  # after a blank it is a new label
                    else:
                        _add(grown, prefix + (c,), -np.inf, total + step[c])
            ranked = sorted(grown.items(), key=lambda item: -np.logaddexp(*item[1]))
            beams = dict(ranked[:beam_width])
        ranked = sorted(beams.items(), key=lambda item: -np.logaddexp(*item[1]))[:top_paths]
        for k, (prefix, (p_blank, p_label)) in enumerate(ranked):
            paths[k, b, :len(prefix)] = prefix
            scores[b, k] = np.logaddexp(p_blank, p_label)
    return paths, scores
