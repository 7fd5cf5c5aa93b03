"""Meta-test: every parameter of every public callable is validated.

The test walks ``lk.__all__`` (and the public functions of ``lk.datasets``), plus the
public methods of the objects they build (penalties, activations, optimizers, models,
fits). Every callable found is either

- a *target*: ``VALID`` holds keyword arguments that work, and each of its parameters
  has bad values in ``BAD`` (same meaning wherever the parameter name appears; a
  target-specific list goes in ``EXTRA`` or ``OVERRIDE``). Each bad value must raise
  ``InvalidParameterError`` whose message starts with "The '", names the parameter and
  shows the value received; or
- listed in ``DELEGATED`` (validated by another test file, named there, whose test
  function must exist) or ``NOT_TARGETS`` (with the reason it takes no user input).

A new public name or a new parameter (``lk.over_seeds``, ``MLP(init=...)``,
``train(penalty_mode=...)``, ...) without an entry here makes
``test_every_public_callable_is_covered`` fail, so coverage grows with the API.
"""
import inspect
import pathlib

import numpy as np
import pytest

import lkcourse as lk

X = np.random.default_rng(0).normal(size=(12, 3))
Y = X @ np.array([1.0, 0.0, -1.0])
LABELS = (Y > 0).astype(float)
RAGGED = [[1.0], [1.0, 2.0]]
MODEL = lk.MLP([3, 4, 1], "tanh", rng=0)
FIT = lk.fit_linear(X, Y)
LOGISTIC_FIT = lk.fit_logistic(X, LABELS, lk.L2(0.1))
PARAMS = {"W1": np.ones(2)}


def stepped(opt):
    opt.step({"W1": np.ones(2)}, {"W1": np.ones(2)})
    return opt


# ----------------------------------------------------------------------- the targets
def targets():
    """name -> callable: public functions/classes, then public methods of instances."""
    out = {}
    for name in lk.__all__:
        obj = getattr(lk, name)
        if callable(obj) and name not in NOT_TARGETS and name not in DELEGATED:
            out[name] = obj
    for name in lk.book.__all__:       # the chapters' machinery, lk.book.<name>
        obj = getattr(lk.book, name)
        if callable(obj) and name not in NOT_TARGETS and name not in DELEGATED:
            out[f"book.{name}"] = obj
    for name, obj in vars(lk.datasets).items():
        if (not name.startswith("_") and inspect.isfunction(obj)
                and obj.__module__ == lk.datasets.__name__):
            out[f"datasets.{name}"] = obj
    for p in [lk.Lk(0.5), lk.L1(), lk.L2(), lk.LInf(), lk.L0(), lk.ElasticNet()]:
        for method in ("value", "grad", "prox", "entrywise"):
            out[f"{p!r}.{method}"] = getattr(p, method)
    for a in lk.ACTIVATIONS.values():
        out[f"{a!r}.f"], out[f"{a!r}.df"] = a.f, a.df
    for cls in (lk.SGD, lk.SGDW, lk.Adam, lk.AdamW):
        out[f"{cls.__name__}().step"] = cls(0.1).step
        out[f"{cls.__name__}().state_of"] = stepped(cls(0.1)).state_of
    for method in ("forward", "forward_trace", "loss_and_grads", "predict",
                   "predict_class", "predict_proba"):
        out[f"MLP.{method}"] = getattr(MODEL, method)
    out["LinearFit.predict"] = FIT.predict
    out["MLP.stack"] = lk.MLP.stack
    for method in ("decision_function", "predict_proba", "predict"):
        out[f"LogisticFit.{method}"] = getattr(LOGISTIC_FIT, method)
    return out


def key_of(tid):
    """The VALID key of a target id: ``"L1(lam=1.0).value"`` -> ``"value"``."""
    if tid.startswith("MLP.") or tid.startswith("datasets."):
        return tid
    if tid.startswith("book."):
        return tid.removeprefix("book.")
    return tid.rsplit(".", 1)[-1] if "." in tid else tid


VALID = {
    # penalties, prox, dynamics
    "Lk": dict(k=0.5, lam=1.0, reduction="sum"),
    "L1": dict(lam=1.0, reduction="sum"),
    "L2": dict(lam=1.0, reduction="sum"),
    "LInf": dict(lam=1.0, reduction="sum"),
    "L0": dict(lam=1.0, reduction="sum"),
    "ElasticNet": dict(l1=0.5, l2=0.5, reduction="sum"),
    "penalty": dict(name="l1"),
    "soft_threshold": dict(v=[1.0, -2.0], t=0.5),
    "hard_threshold": dict(v=[1.0, -2.0], t=0.5),
    "half_threshold": dict(v=[1.0, -2.0], t=0.5),
    "prox_lk": dict(v=[1.0, -2.0], t=0.5, k=1.5),
    "project_l1_ball": dict(v=[1.0, -2.0], radius=1.0),
    "simulate_weight": dict(penalty=lk.L1(0.1), w0=1.0, lr=0.1, steps=3, method="gd",
                            target=None),
    "value": dict(w=[1.0, -2.0]),
    "grad": dict(w=[1.0, -2.0]),
    "entrywise": dict(w=[1.0, -2.0]),
    "prox": dict(v=[1.0, -2.0], step=0.5),
    # linear models
    "fit_linear": dict(X=X, y=Y, penalty=None, fit_intercept=True, max_iter=100,
                       tol=1e-6, coef0=None),
    "regularization_path": dict(X=X, y=Y, penalty_factory=lk.L1, lams=[1.0, 0.1],
                                warm_start=True),
    "regularization_path_fits": dict(X=X, y=Y, penalty_factory=lk.L1, lams=[1.0, 0.1],
                                     warm_start=True),
    "polynomial_features": dict(x=[1.0, 2.0], degree=2),
    "predict": dict(X=X),
    "fit_logistic": dict(X=X, y=LABELS, penalty=lk.L2(0.1), fit_intercept=True,
                         max_iter=500, tol=1e-6, coef0=None, intercept0=0.0),
    "decision_function": dict(X=X),
    "predict_proba": dict(X=X),
    # activations
    "activation": dict(name="relu"),
    "f": dict(z=[1.0, -2.0]),
    "df": dict(z=[1.0, -2.0]),
    "softmax": dict(z=[1.0, 2.0], axis=-1),
    "log_softmax": dict(z=[1.0, 2.0], axis=-1),
    "softmax_jacobian": dict(z=[1.0, 2.0]),
    # gradients, metrics
    "numerical_grad": dict(f=lambda x: float(x @ x), x=[1.0, 2.0], eps=1e-6),
    "check_grad": dict(f=lambda x: float(x @ x), df=lambda x: 2 * x, x=[1.0, 2.0],
                       eps=1e-6, rtol=1e-5, atol=1e-7),
    "mse": dict(y_true=[1.0, 2.0], y_pred=[1.0, 2.5]),
    "mae": dict(y_true=[1.0, 2.0], y_pred=[1.0, 2.5]),
    "r2_score": dict(y_true=[1.0, 2.0], y_pred=[1.0, 2.5]),
    "accuracy": dict(y_true=[0, 1], y_pred=[0, 0]),
    "kfold_splits": dict(n=10, n_splits=5, rng=0),
    # optimizers
    "sgd_update": dict(w=[1.0], g=[0.5], buf=None, lr=0.1, momentum=0.9,
                       weight_decay=0.0, decoupled=False),
    "adam_update": dict(w=[1.0], g=[0.5], m=[0.0], v=[0.0], t=1, lr=0.1,
                        betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled=False),
    "SGD": dict(lr=0.1, momentum=0.0, weight_decay=0.0, decay=None),
    "SGDW": dict(lr=0.1, momentum=0.0, weight_decay=0.0, decay=None),
    "Adam": dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decay=None),
    "AdamW": dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decay=None),
    "step": dict(params=PARAMS, grads={"W1": np.ones(2)}),
    "state_of": dict(name="W1"),
    # networks and training
    "MLP": dict(sizes=(3, 4, 1), activation="relu", init=None, dropout=0.0, rng=0),
    "MLP.forward": dict(X=X, train=False, rng=None),
    "MLP.forward_trace": dict(X=X, train=False, rng=None),
    "MLP.loss_and_grads": dict(X=X, y=Y, loss="mse", penalty=None, train=False, rng=None),
    "MLP.predict": dict(X=X),
    "MLP.predict_class": dict(X=X),
    "MLP.predict_proba": dict(X=X),
    "MLP.stack": dict(models=[lk.MLP([3, 4, 1], rng=s) for s in range(2)], rng=0),
    "train": dict(model=MODEL.copy(), X=X, y=Y, optimizer=lk.SGD(0.01), loss="mse",
                  penalty=None, epochs=1, batch_size=None, validation=None, rng=0,
                  progress=False, patience=None, restore_best=True, eval_train=False,
                  callback=None, penalty_mode="grad"),
    "evaluate": dict(model=MODEL, X=X, y=Y, loss="mse", penalty=None),
    "over_seeds": dict(fn=lambda seed: {"a": float(seed)}, n=3, start=0, seeds=None,
                       progress=False),
    # activation spec sheets (lkcourse/activation_table.py), batched training
    "gaussian_mean": dict(fn=np.tanh, scale=1.0),
    "spec_sheet": dict(kind="formulas", activations=None),
    "train_many": dict(model=[lk.MLP([3, 4, 1], rng=s) for s in range(2)], X=X, y=Y,
                       optimizer=lk.SGD(0.01), loss="mse", penalty=None, epochs=1,
                       batch_size=None, validation=None, rng=0, progress=False,
                       patience=None, restore_best=True, eval_train=False, callback=None,
                       penalty_mode="grad"),
    # utilities
    "progress_bar": dict(iterable=None, total=3, desc=None, unit="it", timings=False),
    "show_source": dict(obj=lk.soft_threshold, docstring=False),
    # datasets
    "datasets.noisy_polynomial": dict(n=10, noise=0.2, coef=(0.5, 1.0), x_range=(-1.0, 1.0),
                                      rng=0, return_truth=False),
    "datasets.sparse_regression": dict(n=20, n_features=5, n_informative=2,
                                       correlation=0.0, block_size=None, coef=None,
                                       noise=0.5, rng=0),
    "datasets.moons": dict(n=10, noise=0.1, rng=0),
    "datasets.circles": dict(n=10, noise=0.05, factor=0.5, rng=0),
    "datasets.spirals": dict(n=10, noise=0.05, turns=1.0, n_classes=2, rng=0),
    "datasets.xor": dict(n=10, noise=0.05, rng=0),
    "datasets.train_test_split": dict(X=X, y=Y, test_size=0.25, rng=0),
    "datasets.diabetes": dict(test_size=None, standardize=True, rng=0),
    "datasets.breast_cancer": dict(test_size=0.25, standardize=True, rng=0),
    "datasets.digits": dict(test_size=10, standardize=False, rng=0),
    "datasets.standardize": dict(X_train=X),
    "datasets.feature_names": dict(dataset="digits"),
}

ARRAY_LIKE = ["abc", RAGGED]
STRENGTH = [-1.0, np.nan, np.inf, "1", True, None]
FLAG = ["yes", 1, None]
BAD = {  # parameter name -> bad values (the same meaning wherever the name appears)
    "lam": STRENGTH, "l1": STRENGTH, "l2": STRENGTH,
    "k": [0, -1.0, np.nan, "2", None],
    "reduction": ["avg", "SUM", None],
    "name": ["lasso", "L2", 3, None],
    "params": [{"alpha": 1.0}, {"lam": -1.0}],
    "v": ARRAY_LIKE, "w": ARRAY_LIKE, "z": ARRAY_LIKE,
    "t": [-1.0, np.nan, np.inf, "0.5"],
    "step": [0, -0.1, np.inf, np.nan, "1"],
    "radius": [-1.0, np.nan, "1"],
    "penalty": ["l1", 0.1, lk.L1],
    "w0": [np.nan, np.inf, "1", None],
    "lr": [0, -1.0, np.inf, np.nan],
    "steps": [-1, 2.5, "3", None],
    "method": ["sgd", "GD", None],
    "target": [np.nan, np.inf, "a"],
    "X": [X[:, 0], np.where(X > 1, np.nan, X), X[:5], "abc"],
    "y": [Y[:, None, None], np.where(Y > 1, np.inf, Y), Y[:5]],
    "fit_intercept": FLAG,
    "max_iter": [0, 1.5, "10", None],
    "tol": [-1.0, np.nan, "1e-6"],
    "coef0": [np.zeros(2), np.full(3, np.nan), np.zeros((3, 1))],
    "penalty_factory": ["l1", lambda lam: "l1", lk.L1(0.1)],
    "lams": [np.ones((2, 2)), np.array([1.0, np.nan]), np.array([])],
    "warm_start": ["no", 1],
    "fit_kwargs": [{"foo": 1.0}, {"alpha": 0.1}, {"return_intercepts": True}],
    "x": [np.ones((2, 2)), np.array([1.0, np.nan])],
    "degree": [0, 2.5, True, "3", None],
    "axis": [1, -2, 0.5, "0"],
    "f": [None, "f", 1.0],
    "df": [None, "df", 1.0],
    "eps": [0, -1e-6, np.nan, "1e-6"],
    "rtol": [-1.0, np.nan, "1"],
    "atol": [-1.0, np.nan, "1"],
    "y_true": [["a", "b"], [1.0, np.nan], [1.0]],
    "y_pred": [["a", "b"], [1.0, np.inf], [1.0, 2.0, 3.0]],
    "n": [0, -3, 2.5, "10", None],
    "n_splits": [1, 2.5, "5", None],
    "rng": [-1, 1.5, "0", np.random.RandomState(0)],
    "g": ARRAY_LIKE + [[1.0, 2.0, 3.0]],
    "buf": ARRAY_LIKE + [[1.0, 2.0]],
    "m": ARRAY_LIKE + [[1.0, 2.0]],
    "momentum": [-0.1, 1.0, np.nan, "0.9"],
    "weight_decay": [-0.1, np.nan, np.inf, "0.1"],
    "decoupled": FLAG,
    "betas": [0.9, (0.9, 1.0), (-0.1, 0.9), (0.9,), "ab"],
    "decay": ["biases", 1],
    "params": [{"alpha": 1.0}, {"lam": -1.0}],
    "grads": [{"W2": np.ones(2)}, {"W1": np.ones(3)}],
    "sizes": [(3,), (3, 0, 1), (3, 2.5, 1), "31", None],
    "activation": ["rleu", 3, None],
    "init": ["he", "kaiming_normal", 3],
    "dropout": [-0.1, 1.0, np.nan, "0.5"],
    "train": FLAG,
    "loss": ["mae", "MSE", None],
    "model": [None, "mlp", lk.L1(0.1)],
    "optimizer": [None, "adam", lk.Adam],
    "epochs": [0, 2.5, "3", None],
    "batch_size": [0, 2.5, "8"],
    "validation": [X, (X,), "val"],
    "progress": FLAG,
    "n_jobs": [0, -1, 2.5, "2", None, True],
    "patience": [0, 1.5, "3"],
    "restore_best": FLAG,
    "eval_train": FLAG,
    "callback": ["stop", 1],
    "penalty_mode": ["proximal", "GRAD", None],
    "fn": [None, "f", 3],
    "seeds": [0, -2, 2.5, [1, 1], "3", [0.5]],
    "start": [-1, 2.5, "0", None, 10**6],
    "iterable": [3, 1.5],
    "total": [-1, 2.5, "3"],
    "desc": [3, ["a"]],
    "unit": [3, None],
    "timings": FLAG,
    "obj": [3, "soft_threshold", None],
    "docstring": FLAG,
    "noise": [-0.1, np.nan, np.inf, "0.1"],
    "coef": [[], [np.nan], "ab"],
    "x_range": [(1.0, -1.0), (0.0, np.inf), 1.0, "ab"],
    "return_truth": FLAG,
    "n_features": [0, 2.5, "5", None],
    "n_informative": [-1, 2.5, "2", None],
    "correlation": [-1.5, 1.0, np.nan, "0.5"],
    "block_size": [0, 2.5, "3"],
    "factor": [0.0, 1.0, np.nan, "0.5"],
    "turns": [0.0, -1.0, np.nan, "1"],
    "n_classes": [1, 2.5, "2", None],
    "test_size": [0.0, 1.0, -0.1, np.nan, "0.25"],
    "standardize": FLAG,
    "X_train": [X[:, 0], np.where(X > 1, np.nan, X), "abc"],
    "dataset": ["iris", "Diabetes", 3, None],
    "intercept0": [np.nan, np.inf, "0", None],
    "scale": [0, -1.0, np.nan, "1"],
    "kind": ["shapes", 3, None],
    "activations": [["rleu"], 3, "relu"],
    "models": [None, [], ["mlp"], [MODEL, lk.MLP([3, 5, 1], rng=0)]],
}
EXTRA = {  # target-specific bad values, added to BAD
    ("prox_lk", "k"): [np.inf],
    ("MLP.loss_and_grads", "y"): [Y[:5, None]],
}
OVERRIDE = {  # target-specific bad values, replacing BAD
    ("predict", "X"): [X[:, 0], np.ones((4, 2)), np.where(X > 1, np.nan, X)],
    ("decision_function", "X"): [X[:, 0], np.ones((4, 2)), np.where(X > 1, np.nan, X)],
    ("predict_proba", "X"): [X[:, 0], np.ones((4, 2)), np.where(X > 1, np.nan, X)],
    ("fit_logistic", "y"): [LABELS[:5], np.where(Y > 1, np.inf, Y), Y, LABELS[:, None]],
    ("datasets.digits", "test_size"): [0, 1797, 0.0, 1.0, np.nan, "0.25", True],
    ("datasets.train_test_split", "X"): [X[:5], "abc", [["a"]]],  # 1-D X is data too
    ("datasets.train_test_split", "y"): [Y[:5], np.array(["a"] * 12), "abc"],
    ("adam_update", "t"): [0, -1, 2.5, "1"],
    ("step", "params"): [{"W2": np.ones(2)}, "abc", {"W1": [1.0, 2.0]},
                         {"W1": np.ones(2, dtype=int)}],
    ("numerical_grad", "x"): ["abc", RAGGED, [1.0, np.nan], []],
    ("check_grad", "x"): ["abc", RAGGED, [1.0, np.nan], []],
    ("datasets.sparse_regression", "coef"): [[np.nan] * 5, np.ones(4), "ab"],
    ("datasets.noisy_polynomial", "n"): [0, -3, 2.5, "10", None],
}
for key in ("MLP.forward", "MLP.forward_trace", "MLP.predict", "MLP.predict_class",
            "MLP.predict_proba", "evaluate", "train", "train_many", "MLP.loss_and_grads"):
    OVERRIDE[(key, "X")] = [X[:, 0], X[:, :2], np.where(X > 1, np.nan, X), "abc"]
for key in ("MLP.loss_and_grads", "evaluate", "train", "train_many"):
    OVERRIDE[(key, "y")] = [Y[:5], np.where(Y > 1, np.inf, Y), np.ones((12, 2))]

NOT_TARGETS = {  # public callables that take no user input of their own
    "InvalidParameterError": "the exception class",
    "ConvergenceWarning": "a warning class",
    "Penalty": "abstract base class; every subclass and their methods are targets",
    "Activation": "base class, built by lk.activation(); every registry entry's f and "
                  "df are targets",
    "LinearFit": "result container built by fit_linear; predict() is a target",
    "LogisticFit": "result container built by fit_logistic; its three methods are targets",
    "History": "result container built by train",
    "StackedHistory": "result container built by train for a stack",
    "ForwardTrace": "result container built by MLP.forward_trace",
    "SourceCode": "result container built by show_source",
    "Draws": "result container built by over_seeds (its queries: DELEGATED below)",
    "SpecSheet": "table built by lk.book.spec_sheet",
    "DrawsSummary": "table built by Draws.summary",
    "decay_weights_only": "a predicate the optimizers call with their own parameter "
                          "names; users pass it, they do not call it",
    "seed_block": "takes no argument (reads use_seed_block or LKCOURSE_SEED_BLOCK; a bad "
                  "environment value: tests/test_seeding.py::test_bad_environment_is_named)",
    "LedgerEntry": "record built by ledger_entry from the ledger file",
    "use_style": "takes no argument (the course figure style, tests/test_style.py)",
    "style_context": "takes no argument (the course figure style, tests/test_style.py)",
}
DELEGATED = {  # public callable -> the test (file::function) that checks its validation
    "glue": "tests/test_scrapbook.py::test_bad_arguments_are_named",  # 'name': any str key
    "Explorer": "tests/test_explore.py::test_bad_arguments_raise_invalid_parameter_error",
    "penalty_explorer": "tests/test_explorers.py::test_bad_grids_and_arguments_raise",
    "trajectory_explorer": "tests/test_explorers.py::test_bad_grids_and_arguments_raise",
    "activation_explorer": "tests/test_explorers.py::test_bad_grids_and_arguments_raise",
    "geometry_explorer": "tests/test_explorers.py::test_bad_grids_and_arguments_raise",
    "polynomial_explorer": "tests/test_explorers.py::test_data_explorers_reject_bad_inputs",
    "path_explorer": "tests/test_explorers.py::test_data_explorers_reject_bad_inputs",
    "boundary_explorer": "tests/test_explorers.py::test_data_explorers_reject_bad_inputs",
    "Draws.queries": "tests/test_sweeps.py::test_bad_queries",
    "check_penalty": "tests/test_extension.py::test_bad_arguments_of_the_extension_points",
    "check_activation": "tests/test_extension.py::test_bad_arguments_of_the_extension_points",
    "register_penalty": "tests/test_extension.py::test_bad_arguments_of_the_extension_points",
    "register_activation": "tests/test_extension.py::test_bad_arguments_of_the_extension_points",
    "as_penalty": "tests/test_extension.py::test_bad_arguments_of_the_extension_points",
    "check_answer": "tests/test_exercises.py::test_bad_arguments",
    "prove_check": "tests/test_exercises.py::test_bad_arguments",
    "toy_data": "tests/test_lr_decay.py::test_bad_arguments_raise_invalid_parameter_error",
    "toy_loss_grad": "tests/test_lr_decay.py::test_bad_arguments_raise_invalid_parameter_error",
    "run_grid": "tests/test_lr_decay.py::test_bad_arguments_raise_invalid_parameter_error",
    "explained": "tests/test_lr_decay.py::test_bad_arguments_raise_invalid_parameter_error",
    "lr_decay_heatmaps": "tests/test_lr_decay.py::test_bad_arguments_raise_invalid_parameter_error",
    "decay_probe": "tests/test_lr_decay.py::test_bad_arguments_raise_invalid_parameter_error",
    "probe_curves": "tests/test_lr_decay.py::test_bad_arguments_raise_invalid_parameter_error",
    "draw_probe": "tests/test_lr_decay.py::test_bad_arguments_raise_invalid_parameter_error",
    # seed source, thresholds and claims: k and n mean slots/counts there, not the
    # exponent and sample size of BAD, so their own tests own their bad values
    "seed": "tests/test_seeding.py::test_bad_arguments",
    "rng": "tests/test_seeding.py::test_bad_arguments",
    "seeds": "tests/test_seeding.py::test_bad_arguments",
    "use_seed_block": "tests/test_seeding.py::test_bad_arguments",
    "wilson_interval": "tests/test_thresholds.py::test_bad_arguments",
    "proportion_threshold": "tests/test_thresholds.py::test_bad_arguments",
    "mean_threshold": "tests/test_thresholds.py::test_bad_arguments",
    "Experiment": "tests/test_claims.py::test_experiment_validation",
    "Claim": "tests/test_claims.py::test_claim_must_share_the_experiments_chapter",
    "check_claims": "tests/test_claims.py::test_check_claims_refuses_foreign_draws_unknown_ids_and_vacuous_checks",
    "ledger_entry": "tests/test_claims.py::test_ledger_entry_text_and_errors",
}
# Validation still missing, reported to the owner of the module; each case runs as a
# strict xfail, so fixing it turns the case into an XPASS failure: then delete the line.
# Key: (target key, parameter) for every bad value, or (key, parameter, repr(bad)[:30]).
KNOWN_GAPS = {}
# Public functions written but not yet exported by lkcourse/__init__.py: their VALID
# entries wait (skipped) until the names appear in lk.__all__, then they are checked.
NOT_YET_EXPORTED = set()


def parameters(obj):
    return [p for p in inspect.signature(obj).parameters.values()
            if p.name != "self" and p.kind is not inspect.Parameter.VAR_POSITIONAL]


def expected_fragments(par, bad):
    """What the message must contain: the parameter name and the value received.

    Each entry is a list of alternatives (one must appear): array-likes may be shown by
    their shape, a length mismatch by the two lengths; ``'betas[1]'`` names ``betas``."""
    param = par.name
    if par.kind is inspect.Parameter.VAR_KEYWORD:
        # **kwargs: the offending key (and its value, unless the key itself is unknown)
        key, val = next(iter(bad.items()))
        unknown = key in ("alpha", "foo", "return_intercepts")
        return [[f"'{key}'"]] if unknown else [[f"'{key}'"], [repr(val)]]
    name = [f"'{param}'", f"'{param}["]
    if isinstance(bad, (dict, np.random.RandomState, type)) or callable(bad):
        return [name]
    shown = [repr(bad)]
    if not isinstance(bad, str):
        try:
            shape = np.shape(bad)
        except ValueError:  # ragged
            shape = None
        if shape:
            shown += [str(shape), f" and {shape[0]} instead", f"shape {shape}"]
        if isinstance(bad, tuple):  # a pair checked entry by entry: the entry shown
            shown += [repr(entry) for entry in bad]
    return [name, shown]


def bad_values(key, name):
    return OVERRIDE.get((key, name), BAD.get(name, []) + EXTRA.get((key, name), []))


def cases():
    """(id, callable, key, parameter, bad value) for every public parameter."""
    out = []
    for tid, obj in targets().items():
        key = key_of(tid)
        for par in parameters(obj):
            for bad in bad_values(key, par.name):
                case = (f"{tid}-{par.name}={bad!r:.30}", obj, key, par, bad)
                gap = KNOWN_GAPS.get((key, par.name, repr(bad)[:30]),
                                     KNOWN_GAPS.get((key, par.name)))
                if gap:
                    case = pytest.param(*case, id=case[0], marks=pytest.mark.xfail(
                        strict=True, reason=gap))
                out.append(case)
    return out


CASES = cases()


def test_every_public_callable_is_covered():
    found = set(targets())
    names = ({n for n in lk.__all__ if callable(getattr(lk, n))}
             | {f"book.{n}" for n in lk.book.__all__ if callable(getattr(lk.book, n))})
    found |= {f"book.{n}" for n in set(NOT_TARGETS) | set(DELEGATED)}
    uncovered = sorted(names - found - set(NOT_TARGETS) - set(DELEGATED))
    assert not uncovered, (f"public names without validation coverage: {uncovered}: "
                           "add VALID/BAD entries (or a DELEGATED test) in this file")
    missing = [f"{tid}({p.name})" for tid, obj in targets().items()
               for p in parameters(obj) if not bad_values(key_of(tid), p.name)]
    assert not missing, f"add bad values for {missing} to BAD in this test"
    assert not [t for t in targets() if key_of(t) not in VALID], (
        [t for t in targets() if key_of(t) not in VALID])
    assert len(CASES) > 500
    for name in ("evaluate", "numerical_grad", "train", "over_seeds", "MLP"):
        assert name in found


@pytest.mark.parametrize("name, where", sorted(DELEGATED.items()))
def test_delegated_validation_tests_exist(name, where):
    path, func = where.split("::")
    root = pathlib.Path(__file__).resolve().parents[1]
    assert f"def {func}(" in (root / path).read_text(), where
    if name in lk.__all__:
        assert f"{name}" in (root / path).read_text()


@pytest.mark.parametrize("key", sorted(VALID))
def test_valid_arguments_are_accepted(key):
    # so that each bad-value case fails only because of the swapped parameter
    for tid, obj in targets().items():
        if key_of(tid) == key:
            obj(**VALID[key])
            return
    if key in NOT_YET_EXPORTED:
        pytest.skip(f"{key} is not exported yet")
    pytest.fail(f"no target named {key}")


@pytest.mark.parametrize("tid, obj, key, par, bad", CASES,
                         ids=[c[0] if isinstance(c, tuple) else c.id for c in CASES])
def test_bad_value_raises_a_message_naming_parameter_and_value(tid, obj, key, par, bad):
    kwargs = dict(VALID[key])
    if par.kind is inspect.Parameter.VAR_KEYWORD:
        kwargs.update(bad)
    else:
        kwargs[par.name] = bad
    with pytest.raises(lk.InvalidParameterError) as info:
        obj(**kwargs)
    msg = str(info.value)
    for alternatives in expected_fragments(par, bad):
        assert any(a in msg for a in alternatives), f"{alternatives!r} missing from: {msg}"
    assert msg.startswith("The '"), msg
