"""CSVLogger: file content, column order, append, separator."""

import csv

import numpy as np
from callback_fakes import FakeModel, run_fit

from kerasette.callbacks import CSVLogger, ReduceLROnPlateau

LOGS = [
    {"loss": 0.9, "accuracy": 0.5, "val_loss": 1.0, "val_accuracy": 0.4},
    {"loss": 0.7, "accuracy": 0.6, "val_loss": 0.8, "val_accuracy": 0.5},
]


def read_rows(path, delimiter=","):
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def test_writes_header_and_one_row_per_epoch(tmp_path):
    path = tmp_path / "log.csv"
    run_fit([CSVLogger(str(path))], LOGS)
    rows = read_rows(path)
    assert rows[0] == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert rows[1:] == [["0", "0.5", "0.9", "0.4", "1.0"], ["1", "0.6", "0.7", "0.5", "0.8"]]


def test_overwrites_by_default(tmp_path):
    path = tmp_path / "log.csv"
    run_fit([CSVLogger(path)], LOGS)
    run_fit([CSVLogger(path)], LOGS[:1])
    assert len(read_rows(path)) == 2


def test_append_writes_no_second_header(tmp_path):
    path = tmp_path / "log.csv"
    logger = CSVLogger(path, append=True)
    run_fit([logger], LOGS)
    run_fit([logger], LOGS)
    rows = read_rows(path)
    assert len(rows) == 5
    assert rows[0][0] == "epoch"
    assert [r[0] for r in rows[1:]] == ["0", "1", "0", "1"]


def test_append_to_empty_file_writes_header(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("")
    run_fit([CSVLogger(path, append=True)], LOGS[:1])
    assert read_rows(path)[0][0] == "epoch"


def test_separator(tmp_path):
    path = tmp_path / "log.csv"
    run_fit([CSVLogger(path, separator=";")], LOGS[:1])
    assert path.read_text().splitlines()[0] == "epoch;accuracy;loss;val_accuracy;val_loss"


def test_val_columns_reserved_when_first_epoch_has_none(tmp_path):
    path = tmp_path / "log.csv"
    run_fit([CSVLogger(path)], [{"loss": 0.5, "accuracy": 0.9}])
    rows = read_rows(path)
    assert rows[0] == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert rows[1] == ["0", "0.9", "0.5", "NA", "NA"]


def test_includes_learning_rate_from_earlier_callback(tmp_path):
    path = tmp_path / "log.csv"
    run_fit([ReduceLROnPlateau(patience=1), CSVLogger(path)], LOGS, model=FakeModel(learning_rate=0.5))
    rows = read_rows(path)
    assert "learning_rate" in rows[0]
    assert rows[1][rows[0].index("learning_rate")] == "0.5"


def test_array_values_are_written_as_lists(tmp_path):
    path = tmp_path / "log.csv"
    run_fit([CSVLogger(path)], [{"loss": np.float64(0.25), "per_class": [0.5, 0.75], "val_loss": 1.0}])
    rows = read_rows(path)
    assert rows[1][rows[0].index("per_class")] == "[0.5, 0.75]"
    assert rows[1][rows[0].index("loss")] == "0.25"


def test_file_is_closed_after_training(tmp_path):
    logger = CSVLogger(tmp_path / "log.csv")
    run_fit([logger], LOGS)
    assert logger.csv_file is None
