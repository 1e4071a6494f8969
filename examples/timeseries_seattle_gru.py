"""Forecast tomorrow's high temperature in Seattle with a Conv1D + GRU model, against the persistence baseline.

    pip install vega-datasets        # a PyPI package that ships the data (pandas is not needed here)
    python examples/timeseries_seattle_gru.py [--epochs 80] [--window 14] [--backend numpy]

The data is Seattle's daily weather from 2012 to 2015 (NOAA observations, 1,461 days: precipitation,
maximum and minimum temperature, wind) as the ``vega-datasets`` package ships it
(``_data/seattle-weather.csv``, read here with the csv module from the installed package's folder).
Days are split in time order: 2012-2014 train, the first half of 2015 validates, the second half
tests. Each sample is the last ``--window`` days (the four measurements, standardized with the
training days' statistics, and the day of the year as a sine/cosine pair); the target is the next
day's maximum temperature.

The model is the Keras recipe for series: a causal ``Conv1D`` extracts local patterns and shortens
the sequence (``MaxPooling1D``), a ``GRU`` reads the result, a ``Dense`` layer forecasts the change
from today's high (trained on the mean absolute error, with early stopping on the validation days).
Two baselines: persistence (tomorrow's high is today's) and a linear autoregression fitted by least
squares on the training days (tomorrow's high from today's features). The mean absolute error of
each on the test days is printed, in degrees Celsius.
"""

import argparse
import csv
import datetime
import importlib.util
import math
import os
import time

import numpy as np

import kerasette as keras
from kerasette import layers

MEASUREMENTS = ("precipitation", "temp_max", "temp_min", "wind")


def load_seattle_weather():
    """(dates, measurements (days, 4)) from the installed vega-datasets package."""
    spec = importlib.util.find_spec("vega_datasets")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("This example reads the data shipped by the vega-datasets package: pip install vega-datasets")
    path = os.path.join(list(spec.submodule_search_locations)[0], "_data", "seattle-weather.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    dates = [datetime.date(*map(int, row["date"].split("/"))) for row in rows]
    return dates, np.array([[float(row[m]) for m in MEASUREMENTS] for row in rows], dtype="float32")


def windows(features, highs, window):
    """(inputs (n, window, channels), targets (n,): the next day's high, today's high (n,)) for every day."""
    starts = np.arange(len(highs) - window)
    index = starts[:, None] + np.arange(window)[None, :]
    today = starts + window - 1
    return features[index], highs[today + 1], highs[today]


def build_model(window, channels):
    return keras.Sequential([
        keras.Input((window, channels)),
        layers.Conv1D(16, kernel_size=5, padding="causal", activation="relu"),
        layers.MaxPooling1D(pool_size=2),
        layers.GRU(32, dropout=0.1),  # one input dropout mask per sequence, as Keras
        layers.Dense(1),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=80)
    parser.add_argument("--window", type=int, default=14, help="days of history per sample")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--backend", default=None, help="numpy (default) or opencl")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.backend:
        keras.backends.set_backend(args.backend)
    keras.utils.set_random_seed(args.seed)

    dates, measurements = load_seattle_weather()
    train_end = dates.index(datetime.date(2015, 1, 1))
    val_end = dates.index(datetime.date(2015, 7, 1))
    mean, std = measurements[:train_end].mean(axis=0), measurements[:train_end].std(axis=0)
    angle = np.array([2 * math.pi * d.timetuple().tm_yday / 365.25 for d in dates])
    features = np.concatenate([(measurements - mean) / std, np.stack([np.sin(angle), np.cos(angle)], axis=1)],
                              axis=1).astype("float32")
    highs = (measurements[:, 1] - mean[1]) / std[1]

    def split(lo, hi):  # windows may start before ``lo``: only the targets must fall inside the split
        lo = max(0, lo - args.window)
        x, y, today = windows(features[lo:hi], highs[lo:hi], args.window)
        return x, (y - today)[:, None], today  # the model forecasts the change from today's high

    (x_train, y_train, _), (x_val, y_val, _), (x_test, y_test, today_test) = (
        split(0, train_end), split(train_end, val_end), split(val_end, len(dates)))
    print(f"{len(dates)} days: {len(x_train)} training, {len(x_val)} validation, {len(x_test)} test forecasts "
          f"({args.window} days of history each)")

    model = build_model(args.window, features.shape[1])
    model.summary()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mae")
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, validation_data=(x_val, y_val),
              callbacks=[keras.callbacks.EarlyStopping(patience=12, restore_best_weights=True)])
    seconds = time.perf_counter() - start

    forecast = (today_test + model.predict(x_test, verbose=0)[:, 0]) * std[1] + mean[1]
    truth = (today_test + y_test[:, 0]) * std[1] + mean[1]
    model_mae = float(np.mean(np.abs(forecast - truth)))
    persistence_mae = float(np.mean(np.abs(today_test * std[1] + mean[1] - truth)))
    linear = np.linalg.lstsq(np.c_[x_train[:, -1], np.ones(len(x_train))], y_train[:, 0], rcond=None)[0]
    linear_forecast = (today_test + np.c_[x_test[:, -1], np.ones(len(x_test))] @ linear) * std[1] + mean[1]
    linear_mae = float(np.mean(np.abs(linear_forecast - truth)))
    print(f"test MAE of the next day's high: Conv1D + GRU {model_mae:.2f} C; baselines: persistence "
          f"{persistence_mae:.2f} C, linear autoregression {linear_mae:.2f} C")
    print(f"training time: {seconds:.1f} s (backend {keras.backends.backend()})")


if __name__ == "__main__":
    main()
