"""Fuzzing kerasette's loaders: mutate valid files, load each in a memory-limited subprocess, count the outcomes.

Used by ``tests/saving/test_saving_fuzz.py`` (a few hundred cases, fixed seed) and
``benchmarks/fuzz_loading.py`` (thousands). Each case is one mutated file of one kind:

- ``keras``: a ``.keras`` zip given to ``load_model``;
- ``h5``: a legacy full-model ``.h5`` given to ``load_model``;
- ``weights``: a ``.weights.h5`` given to ``load_weights`` of the same (compiled) architecture;
- ``h5weights``: a legacy weights-only ``.h5`` given to ``load_weights``.

Mutations: byte flips, truncations, inserts, overwritten ranges, structured edits of the JSON
configs (wrong types, huge numbers, deep nesting, missing and unknown keys, unknown or
non-string class names, duplicated entries...), structured edits of the HDF5 content (datasets
of another shape or type, links, attribute bombs, negative optimizer iterations...) and of the
zip (compressed members, duplicated or missing members, lying sizes).

Loads run in worker processes (``python -c WORKER``) under ``RLIMIT_AS`` (1 GiB by default),
each case with a wall-clock timeout (10 s): a worker that passes it is killed and replaced.
The peak resident memory of every case is measured (``VmHWM``, reset before each case).
Outcomes:

``loaded_same`` / ``loaded_changed``
    the load succeeded (and a prediction ran); the predictions equal the original's or not
    (flipped bytes inside weight data change values silently: HDF5 keeps no checksum).
``error``
    ``kerasette.saving.InvalidFileError`` whose message names the file.
``error_unnamed``, ``other:<Type>``, ``predict:<Type>``, ``memory``, ``timeout``, ``crash``
    failures of the loader's promise: an error that does not name the file, another exception
    type, a load that succeeded but whose model cannot predict, a MemoryError (even wrapped),
    a load over the time limit, a dead worker.
"""

import io
import json
import os
import queue
import select
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ("keras", "h5", "weights", "h5weights")
EXTENSIONS = {"keras": ".keras", "h5": ".h5", "weights": ".weights.h5", "h5weights": ".h5"}
GOOD = ("loaded_same", "loaded_changed", "error")
INTERESTING_KEYS = {
    "units", "filters", "kernel_size", "strides", "pool_size", "batch_input_shape", "batch_shape", "shape",
    "inbound_nodes", "keras_history", "args", "kwargs", "name", "dtype", "class_name", "config", "epsilon",
    "noise_shape", "rate", "axis", "momentum", "activation", "padding", "use_bias", "learning_rate", "loss",
    "optimizer", "optimizer_config", "metrics", "loss_weights", "compile_config", "kerasette_epochs_trained",
    "layers", "input_layers", "output_layers", "build_input_shape", "depth_multiplier", "trainable", "seed",
}


# ----- the models the seed files hold ----------------------------------------------------------------
def _extra(K):
    layers = K.layers
    x = K.Input((8,), name="x")
    h = layers.Dense(6, activation="relu", name="d1")(x)
    h = layers.LayerNormalization(epsilon=1e-3, name="ln")(h)
    h = layers.Dropout(0.2, noise_shape=(None, 6), name="drop")(h)
    return K.Model(x, layers.Dense(3, activation="softmax", name="out")(h), name="extra")


def builders():
    """name -> builder(K) for the seed models."""
    sys.path.insert(0, HERE)
    import saving_models as sm

    return {"mlp": sm.mlp, "cnn": sm.cnn, "nested": sm.nested, "branches": sm.branches, "extra": _extra}


def build_compiled(name, K=None):
    """The seed architecture ``name``, compiled as the seed files were (Adam, mse)."""
    if K is None:
        import kerasette as K
    model = builders()[name](K)
    model.compile(optimizer=K.optimizers.Adam(1e-3), loss="mse")
    return model


def probe_input(model, seed=0):
    """A batch of 2 random inputs shaped for ``model`` (unknown sizes become 3)."""
    rng = np.random.default_rng(seed)
    shapes = [tuple(t.shape) for t in model.inputs]
    arrays = [rng.normal(size=tuple(2 if i == 0 else (s or 3) for i, s in enumerate(shape))).astype("float32")
              for shape in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def _predict(model, x):
    out = model.predict(x, verbose=0)
    outs = out if isinstance(out, (list, tuple)) else [out]
    return [np.asarray(o) for o in outs]


def make_seeds(folder):
    """Save every seed model in every kind; returns ``{(model, kind): path}`` and writes the predictions."""
    import kerasette as ks

    paths, expected = {}, {}
    for name in builders():
        ks.utils.set_random_seed(1)
        model = build_compiled(name, ks)
        x = probe_input(model)
        outputs = _predict(model, x)
        model.fit(x, [np.random.default_rng(1).normal(size=o.shape).astype("float32") for o in outputs]
                  if len(outputs) > 1 else np.random.default_rng(1).normal(size=outputs[0].shape).astype("float32"),
                  epochs=1, verbose=0)
        for kind in KINDS:
            path = os.path.join(folder, f"{name}-{kind}{EXTENSIONS[kind]}")
            if kind in ("keras", "h5"):
                model.save(path)
            else:
                model.save_weights(path)
            paths[(name, kind)] = path
        expected[name] = [o.tolist() for o in _predict(model, x)]
    with open(os.path.join(folder, "expected.json"), "w") as handle:
        json.dump(expected, handle)
    return paths


# ----- mutations -------------------------------------------------------------------------------------
def _flip(rng, data):
    data = bytearray(data)
    count = int(rng.integers(1, 9))
    for _ in range(count):
        i = int(rng.integers(len(data)))
        data[i] ^= int(rng.integers(1, 256))
    return bytes(data), f"flip x{count}"


def _truncate(rng, data):
    n = int(rng.integers(len(data)))
    return data[:n], f"truncate to {n}"


def _insert(rng, data):
    i, n = int(rng.integers(len(data) + 1)), int(rng.integers(1, 65))
    return data[:i] + rng.bytes(n) + data[i:], f"insert {n} at {i}"


def _overwrite(rng, data):
    i, n = int(rng.integers(len(data))), int(rng.integers(1, 257))
    fill = [b"\0", b"\xff", rng.bytes(1)][int(rng.integers(3))]
    return data[:i] + fill * n + data[i + n:], f"overwrite {n} at {i}"


def _nodes(value, path=()):
    """Every (path, key) in a JSON tree."""
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_nodes(item, path + (key,)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.extend(_nodes(item, path + (i,)))
    return out


def _get(value, path):
    for key in path:
        value = value[key]
    return value


_REPLACEMENTS = ["text", "", 12, -1, 0, 1.5, None, True, False, [], {}, [1, 2], {"a": 1}, float("nan"),
                 float("inf"), -float("inf"), 10**6, 10**9, 10**12, 10**18, 10**30, 10**400, -10**9, 1e308,
                 [None, 10**7], [None, 0], [-1], "float16", "mixed_float16", {"class_name": 5, "config": {}},
                 {"class_name": "NoSuchLayer", "config": {}}, [[["x", 0, 0, {}]]], [0, 0, 99], "x" * 100000]


def mutate_json(rng, value):
    """A structured edit of a parsed JSON config; returns ``(text, description)``."""
    value = json.loads(json.dumps(value))
    nodes = [p for p in _nodes(value) if p]
    preferred = [p for p in nodes if isinstance(p[-1], str) and p[-1] in INTERESTING_KEYS]
    if not nodes:
        return json.dumps(value), "unchanged"
    pool = preferred if preferred and rng.random() < 0.6 else nodes
    path = pool[int(rng.integers(len(pool)))]
    if not path:
        return json.dumps(value), "unchanged"
    parent, key = _get(value, path[:-1]), path[-1]
    action = ["replace", "replace", "replace", "delete", "add_key", "duplicate", "nest", "class", "swap"][
        int(rng.integers(9))]
    if action == "replace":
        parent[key] = _REPLACEMENTS[int(rng.integers(len(_REPLACEMENTS)))]
    elif action == "delete":
        del parent[key]
    elif action == "add_key":
        target = parent if isinstance(parent, dict) else value
        target[f"unknown_{int(rng.integers(100))}"] = _REPLACEMENTS[int(rng.integers(len(_REPLACEMENTS)))]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(key, json.loads(json.dumps(parent[key])))
    elif action == "swap" and isinstance(parent, list) and len(parent) > 1:
        other = int(rng.integers(len(parent)))
        parent[key], parent[other] = parent[other], parent[key]
    elif action == "class":
        holder = parent if isinstance(parent, dict) and "class_name" in parent else None
        if holder is None:
            holder = next((_get(value, p) for p in nodes if isinstance(_get(value, p), dict)
                           and "class_name" in _get(value, p)), value)
        holder["class_name"] = ["Dense", "Conv2D", "Lambda", "Functional", "Sequential", "NoSuchLayer", 7, None,
                                ["Dense"], "InputLayer", "Adam", "BatchNormalization"][int(rng.integers(12))]
    elif action == "nest":
        depth = int([10, 150, 600, 5000][int(rng.integers(4))])
        token = "__FUZZ_NEST__"
        parent[key] = token
        text = json.dumps(value)
        return text.replace(json.dumps(token), "[" * depth + "1" + "]" * depth, 1), f"nest {depth} at {path}"
    else:
        parent[key] = None
        action = "null"
    return json.dumps(value, allow_nan=True), f"json {action} at {list(path)[-4:]}"


def _zip_members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def _zip_bytes(members, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _structured_keras(rng, data):
    members = [(info.filename, payload) for info, payload in _zip_members(data)]
    choice = int(rng.integers(9))
    if choice == 8:
        return _zip_bomb(rng, members)
    if choice <= 3:
        index = [n for n, _ in members].index("config.json" if choice < 3 else "metadata.json")
        text, what = mutate_json(rng, json.loads(members[index][1]))
        members[index] = (members[index][0], text.encode())
        return _zip_bytes(members), f"{members[index][0]}: {what}"
    if choice == 4:
        return _zip_bytes(members, zipfile.ZIP_DEFLATED), "deflated members"
    if choice == 5:
        victim = int(rng.integers(len(members)))
        return _zip_bytes(members[:victim] + members[victim + 1:]), f"drop member {members[victim][0]}"
    if choice == 6:
        index = [n for n, _ in members].index("model.weights.h5")
        h5data, what = _structured_h5(rng, members[index][1], inner=True)
        members[index] = (members[index][0], h5data)
        return _zip_bytes(members), f"weights member: {what}"
    name = ["config.json", "metadata.json", "model.weights.h5"][int(rng.integers(3))]
    return _patch_zip_sizes(data, name, rng), f"lying sizes for {name}"


def _zip_bomb(rng, members):
    """A member padded with megabytes of spaces (config) or zeros (weights), deflated: a decompression bomb."""
    name = ["config.json", "model.weights.h5"][int(rng.integers(2))]
    megabytes = int(rng.integers(16, 257) if name == "config.json" else rng.integers(64, 1025))
    fill = (b" " if name == "config.json" else b"\0") * 1024**2
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member, payload in members:
            if member != name:
                archive.writestr(member, payload)
                continue
            info = zipfile.ZipInfo(member)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as handle:
                handle.write(payload)
                for _ in range(megabytes):
                    handle.write(fill)
    return buffer.getvalue(), f"zip bomb: {name} inflates by {megabytes} MiB"


def _patch_zip_sizes(data, member, rng):
    data = bytearray(data)
    start = 0
    while True:
        start = data.find(b"PK\x01\x02", start)
        if start < 0:
            return bytes(data)
        length = struct.unpack("<H", data[start + 28:start + 30])[0]
        if data[start + 46:start + 46 + length].decode(errors="replace") == member:
            break
        start += 4
    size = [0, 1, 10**6, 2**31, 2**32 - 1][int(rng.integers(5))]
    field = [20, 24][int(rng.integers(2))]
    data[start + field:start + field + 4] = struct.pack("<I", size)
    return bytes(data)


def _h5_edit(path, rng, inner):
    import h5py

    with h5py.File(path, "r+") as f:
        datasets, groups = [], []
        f.visititems(lambda n, o: (datasets if isinstance(o, h5py.Dataset) else groups).append(n))
        choice = int(rng.integers(11))
        if choice == 0 and datasets:
            name = datasets[int(rng.integers(len(datasets)))]
            shape = f[name].shape
            del f[name]
            f.create_dataset(name, data=np.ones(tuple(s + 1 for s in shape) or (2,), "float32"))
            return f"reshape {name}"
        if choice == 1 and datasets:
            name = datasets[int(rng.integers(len(datasets)))]
            del f[name]
            f[name] = np.bytes_(b"not a number")
            return f"string dataset {name}"
        if choice == 2 and datasets:
            name = datasets[int(rng.integers(len(datasets)))]
            del f[name]
            f[name] = h5py.SoftLink("/" + datasets[0])
            return f"soft link {name}"
        if choice == 3 and datasets:
            name = datasets[int(rng.integers(len(datasets)))]
            del f[name]
            return f"delete {name}"
        if choice == 4:
            optimizer = [n for n in datasets if n.startswith(("optimizer/", "optimizer_weights/"))]
            if optimizer:
                name = optimizer[0]
                value = [-5, 2.5, float("nan"), -1e30][int(rng.integers(4))]
                dtype = f[name].dtype
                del f[name]
                f.create_dataset(name, data=np.asarray(value, dtype="float64" if dtype.kind == "f" else "float64"))
                return f"optimizer {name} = {value}"
        if choice == 5:
            target = f[groups[int(rng.integers(len(groups)))]] if groups else f
            attrs = list(target.attrs)
            if attrs:
                attr = attrs[int(rng.integers(len(attrs)))]
                target.attrs[attr] = [np.int64(7), "x" * 10, np.arange(3), np.asarray([b"a", b"\xff\xfe"])][
                    int(rng.integers(4))]
                return f"attribute {target.name}@{attr}"
        if choice == 6 and datasets:
            name = datasets[int(rng.integers(len(datasets)))]
            shape = f[name].shape
            del f[name]
            f.create_dataset(name, shape=(2**20,) + tuple(shape[1:]), dtype="float32", chunks=True)
            return f"sparse declared dataset {name}"
        if choice == 7:
            for key in ("model_config", "training_config"):
                if key in f.attrs:
                    text, what = mutate_json(rng, json.loads(f.attrs[key]))
                    f.attrs[key] = text.encode()
                    return f"{key}: {what}"
        if choice == 8:
            if "model_config" in f.attrs:
                text, what = mutate_json(rng, json.loads(f.attrs["model_config"]))
                f.attrs["model_config"] = text.encode()
                return f"model_config: {what}"
        if choice == 9 and groups:
            name = groups[int(rng.integers(len(groups)))]
            f.attrs["kerasette_epochs_trained"] = [-3, 2.5, np.int64(2**40)][int(rng.integers(3))]
            return f"epochs attribute (group {name})"
        marker = 77777
        f.attrs["fuzz_marker"] = "m" * marker
        return f"vlen marker:{marker}"


def _structured_h5(rng, data, inner=False):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "x.h5")
        with open(path, "wb") as handle:
            handle.write(data)
        what = _h5_edit(path, rng, inner)
        with open(path, "rb") as handle:
            out = handle.read()
    if what.startswith("vlen marker:"):  # an attribute bomb: patch the declared length of a vlen string
        marker = int(what.split(":")[1])
        pattern = struct.pack("<I", marker)
        at = out.find(pattern)
        if at >= 0:
            size = [2**31, 2**32 - 16, 10**9, marker + 10**6][int(rng.integers(4))]
            out = out[:at] + struct.pack("<I", size) + out[at + 4:]
            return out, f"attribute bomb ({size} bytes)"
    return out, what


MUTATORS = {"flip": _flip, "truncate": _truncate, "insert": _insert, "overwrite": _overwrite}


def mutate(rng, kind, data):
    """One mutation of ``data`` (a file of ``kind``); returns ``(bytes, family, description)``."""
    family = ["flip", "flip", "truncate", "insert", "overwrite", "structured", "structured", "structured"][
        int(rng.integers(8))]
    if family == "structured":
        try:
            if kind == "keras":
                out, what = _structured_keras(rng, data)
            else:
                out, what = _structured_h5(rng, data)
            return out, family, what
        except Exception as error:  # noqa: BLE001 - a mutation that does not apply: fall back to a flip
            out, what = _flip(rng, data)
            return out, "flip", f"{what} (structured failed: {type(error).__name__})"
    out, what = MUTATORS[family](rng, data)
    return out, family, what


# ----- the worker ------------------------------------------------------------------------------------
WORKER = r'''
import faulthandler, json, os, resource, sys, time, traceback, warnings
limit = int(sys.argv[1])
hang_after = float(sys.argv[5])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path[:0] = [sys.argv[4], sys.argv[2]]
import numpy as np
import kerasette as ks
from kerasette.saving import InvalidFileError
import fuzz_harness as fh
warnings.simplefilter("ignore")
expected = json.load(open(sys.argv[3]))

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1])
    return 0

def reset():
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass

def classify(case):
    path, kind, name = case["path"], case["kind"], case["model"]
    try:
        if kind in ("keras", "h5"):
            model = ks.models.load_model(path)
        else:
            model = fh.build_compiled(name, ks)
            model.load_weights(path)
    except MemoryError as error:
        return "memory", "MemoryError", str(error)[:300]
    except InvalidFileError as error:
        chain, cause = [], error.__cause__
        while cause is not None and len(chain) < 5:
            chain.append(type(cause).__name__)
            cause = cause.__cause__
        if "MemoryError" in chain:
            return "memory", "InvalidFileError<-MemoryError", str(error)[:300]
        named = os.path.basename(path) in str(error)
        return ("error" if named else "error_unnamed"), "/".join(["InvalidFileError"] + chain), str(error)[:300]
    except BaseException as error:
        return "other:" + type(error).__name__, type(error).__name__, traceback.format_exc()[-1500:]
    try:
        out = fh._predict(model, fh.probe_input(model))
    except MemoryError as error:
        return "memory", "MemoryError(predict)", str(error)[:300]
    except BaseException as error:
        return "predict:" + type(error).__name__, type(error).__name__, traceback.format_exc()[-1500:]
    want = expected.get(name)
    same = want is not None and len(want) == len(out) and all(
        np.shape(w) == o.shape and np.allclose(w, o, atol=1e-5, equal_nan=True) for w, o in zip(want, out))
    return ("loaded_same" if same else "loaded_changed"), "", ""

print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    case = json.loads(line)
    reset()
    print(f"case {case['id']} {case['path']}", file=sys.stderr, flush=True)
    faulthandler.dump_traceback_later(hang_after, exit=False)
    start = time.perf_counter()
    outcome, kind, message = classify(case)
    seconds = time.perf_counter() - start
    faulthandler.cancel_dump_traceback_later()
    print(json.dumps({"id": case["id"], "outcome": outcome, "type": kind, "message": message,
                      "seconds": seconds, "rss_kb": hwm()}), flush=True)
'''


class _Worker:
    def __init__(self, folder, memory_limit, timeout):
        self.folder, self.memory_limit, self.timeout = folder, memory_limit, timeout
        self.log = None
        self.start()

    def start(self):
        env = dict(os.environ, PYTHONWARNINGS="ignore", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                   MKL_NUM_THREADS="1")
        import kerasette

        root = os.path.dirname(os.path.dirname(os.path.abspath(kerasette.__file__)))
        if self.log is not None:
            self.log.close()
        self.log = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(self.memory_limit), HERE, os.path.join(self.folder, "expected.json"),
             root, str(max(self.timeout - 1.0, 0.5))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        line = self._readline(120)
        if not line or not json.loads(line).get("ready"):
            raise RuntimeError("the fuzz worker did not start")

    def _readline(self, timeout):
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        return self.process.stdout.readline() if ready else None

    def run(self, case, timeout):
        started = time.perf_counter()
        try:
            self.process.stdin.write(json.dumps(case) + "\n")
            self.process.stdin.flush()
            line = self._readline(timeout)
        except (BrokenPipeError, OSError):
            line = ""
        if line:
            return json.loads(line)
        outcome = "timeout" if line is None else "crash"
        code = self.process.poll()
        self.process.kill()
        self.process.wait()
        self._close_pipes()
        self.log.seek(0)
        log = self.log.read()
        self.start()
        return {"id": case["id"], "outcome": outcome, "type": f"exit {code}", "message": log[-3000:],
                "seconds": time.perf_counter() - started, "rss_kb": 0}

    def _close_pipes(self):
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass

    def close(self):
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self.process.wait(timeout=30)
        self._close_pipes()
        self.log.close()


def generate_cases(seeds, folder, count, seed):
    """``count`` mutated files written under ``folder``; returns the case dicts."""
    rng = np.random.default_rng(seed)
    originals = {}
    for key, path in seeds.items():
        with open(path, "rb") as handle:
            originals[key] = handle.read()
    keys = sorted(originals)
    cases = []
    for i in range(count):
        name, kind = keys[i % len(keys)]
        data, family, what = mutate(rng, kind, originals[(name, kind)])
        path = os.path.join(folder, f"case{i:06d}-{name}{EXTENSIONS[kind]}")
        with open(path, "wb") as handle:
            handle.write(data)
        cases.append({"id": i, "path": path, "kind": kind, "model": name, "family": family, "what": what})
    return cases


def run_cases(cases, folder, workers=2, timeout=10.0, memory_limit=1024**3):
    """Run every case in ``workers`` worker processes; returns the results (one dict per case)."""
    jobs = queue.Queue()
    for case in cases:
        jobs.put(case)
    results, lock = [], threading.Lock()
    by_id = {case["id"]: case for case in cases}

    def loop():
        worker = _Worker(folder, memory_limit, timeout)
        try:
            while True:
                try:
                    case = jobs.get_nowait()
                except queue.Empty:
                    return
                result = worker.run({k: case[k] for k in ("id", "path", "kind", "model")}, timeout)
                result.update({k: by_id[result["id"]][k] for k in ("kind", "model", "family", "what")})
                with lock:
                    results.append(result)
        finally:
            worker.close()

    threads = [threading.Thread(target=loop) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results, key=lambda r: r["id"])


def summarize(results):
    """Counts by outcome, by kind and family, the error types, the largest memory and time."""
    counts, by_kind, by_family, types = {}, {}, {}, {}
    for r in results:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
        by_kind.setdefault(r["kind"], {}).setdefault(r["outcome"], 0)
        by_kind[r["kind"]][r["outcome"]] += 1
        by_family.setdefault(r["family"], {}).setdefault(r["outcome"], 0)
        by_family[r["family"]][r["outcome"]] += 1
        if r["type"]:
            types[r["type"]] = types.get(r["type"], 0) + 1
    return {
        "cases": len(results),
        "outcomes": dict(sorted(counts.items())),
        "by_kind": by_kind,
        "by_family": by_family,
        "error_types": dict(sorted(types.items(), key=lambda kv: -kv[1])),
        "max_rss_mb": max((r["rss_kb"] for r in results), default=0) / 1024,
        "max_seconds": max((r["seconds"] for r in results), default=0.0),
        "bad": [r for r in results if r["outcome"] not in GOOD],
    }


def fuzz(count, seed=0, workers=2, timeout=10.0, memory_limit=1024**3, folder=None):
    """Make the seed files, ``count`` mutations of them, run them all; returns ``summarize``'s dict."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = folder or tmp
        seeds = make_seeds(folder)
        cases = generate_cases(seeds, folder, count, seed)
        results = run_cases(cases, folder, workers, timeout, memory_limit)
    summary = summarize(results)
    summary["seconds_total"] = sum(r["seconds"] for r in results)
    summary["mean_ms"] = 1000 * summary["seconds_total"] / max(len(results), 1)
    return summary
