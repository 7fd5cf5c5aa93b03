"""lk.Experiment / lk.check_claims / the ledger records, on throw-away experiments."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import lkcourse as lk
from lkcourse import claims as C

ROOT = Path(__file__).resolve().parents[1]


def _coin(seed):
    r = np.random.default_rng(seed)
    return {"heads": r.random() < 0.9, "x": r.normal(1.0, 0.5)}


@pytest.fixture
def exp():
    e = lk.Experiment("ch99/coin", _coin, n=20, doc="intro", register=False)
    e.claim("ch99/heads", lambda d: d["heads"] == 1, says="mostly heads", section="s")
    e.claim("ch99/x-mean", lambda d: d["x"], says="x is about 1", section="s",
            kind="mean")
    e.claim("ch99/tails-rare", lambda d: d["heads"] == 0, says="tails is rare",
            section="s", side="at_most")
    return e


@pytest.fixture
def ledger(exp, monkeypatch, tmp_path):
    """Measure the throw-away experiment on 10 blocks into a temporary ledger."""
    blocks = [(b, C.measure_block_of(exp, b)) for b in range(10)]
    record = {"chapter": "ch99", "module_sha256": "x", "experiments": {},
              "claims": {c.id: C.summarise(c, blocks) for c in exp.claims}}
    (tmp_path / "ch99.json").write_text(json.dumps(record))
    monkeypatch.setattr(C, "LEDGER_DIR", tmp_path)
    monkeypatch.setitem(C.CLAIMS, "ch99/heads", exp.claims[0])
    monkeypatch.setitem(C.CLAIMS, "ch99/x-mean", exp.claims[1])
    monkeypatch.setitem(C.CLAIMS, "ch99/tails-rare", exp.claims[2])
    C.reload_ledger()
    yield record
    C.reload_ledger()


def test_summarise_rate_and_mean(ledger):
    heads = ledger["claims"]["ch99/heads"]
    assert heads["n"] == 200 and heads["n_block"] == 20
    assert 160 <= heads["k"] <= 195                              # p = 0.9
    assert heads["lo"] < heads["value"] == heads["k"] / 200 < heads["hi"]
    assert heads["threshold"] == lk.proportion_threshold(heads["k"], 200, 20)
    assert heads["block_min"] <= heads["value"] * 20 <= heads["block_max"]
    x = ledger["claims"]["ch99/x-mean"]
    assert x["k"] is None and abs(x["value"] - 1.0) < 0.15 and 0.4 < x["sd"] < 0.6
    assert x["threshold"] == pytest.approx(lk.mean_threshold(x["value"], x["sd"], 200, 20))
    tails = ledger["claims"]["ch99/tails-rare"]
    assert tails["k"] == 200 - heads["k"] and tails["side"] == "at_most"


def test_check_claims_passes_on_fresh_blocks(exp, ledger):
    for block in (1000, 1001, 5000):
        with lk.use_seed_block(block):
            draws = exp.run()
        lines = lk.check_claims(draws, ["ch99/heads", "ch99/x-mean", "ch99/tails-rare"])
        assert len(lines) == 3 and f"block {block}" in lines[0]


def test_check_claims_fails_when_the_claim_stops_holding(exp, ledger):
    draws = exp.run()
    bad = lk.Draws(draws.seeds, {"heads": np.zeros(20), "x": np.full(20, -5.0)})
    bad.experiment = exp.id
    with pytest.raises(AssertionError, match="ch99/heads.*0 of 20.*>= "):
        lk.check_claims(bad, "ch99/heads")
    with pytest.raises(AssertionError, match="ch99/x-mean"):
        lk.check_claims(bad, "ch99/x-mean")
    with pytest.raises(AssertionError, match="ch99/tails-rare.*20 of 20.*<= "):
        lk.check_claims(bad, "ch99/tails-rare")


def test_check_claims_refuses_foreign_draws_unknown_ids_and_vacuous_checks(exp, ledger):
    foreign = lk.over_seeds(_coin, 20)                     # not from exp.run()
    with pytest.raises(lk.InvalidParameterError, match="must come from experiment"):
        lk.check_claims(foreign, "ch99/heads")
    with pytest.raises(lk.InvalidParameterError, match="'ids' parameter"):
        lk.check_claims(exp.run(), "ch99/nope")
    small = lk.over_seeds(_coin, 2)
    small.experiment = exp.id
    with pytest.raises(lk.InvalidParameterError, match="cannot be checked on 2 draws"):
        lk.check_claims(small, "ch99/heads")


def test_ledger_entry_text_and_errors(ledger):
    e = lk.ledger_entry("ch99/heads")
    assert e.text().startswith(f"{e.k} of 200 draws (")
    assert e.percent() == f"{100 * e.value:.0f} %"
    with pytest.raises(lk.InvalidParameterError, match="measured in the ledger"):
        lk.ledger_entry("ch99/missing")
    with pytest.raises(lk.InvalidParameterError, match="'id' parameter"):
        lk.ledger_entry("not an id")


def test_statistic_must_be_one_value_per_draw(exp):
    e = lk.Experiment("ch99/other", _coin, n=5, doc="intro", register=False)
    c = e.claim("ch99/bad", lambda d: d["x"], says="s", section="s")     # floats for a rate
    with pytest.raises(lk.InvalidParameterError, match="must return booleans"):
        c.values(e.run())
    c2 = e.claim("ch99/bad2", lambda d: d["x"][:2], says="s", section="s", kind="mean")
    with pytest.raises(lk.InvalidParameterError, match=r"shape \(5,\)"):
        c2.values(e.run())


@pytest.mark.parametrize("kwargs,match", [
    (dict(id="ch7", fn=_coin, doc="x"), "'id' parameter"),
    (dict(id="ch7/A", fn=_coin, doc="x"), "'id' parameter"),
    (dict(id="ch7/a", fn=3, doc="x"), "'fn' parameter"),
    (dict(id="ch7/a", fn=_coin, n=0, doc="x"), "'n' parameter"),
    (dict(id="ch7/a", fn=_coin, doc=""), "'doc' parameter"),
])
def test_experiment_validation(kwargs, match):
    with pytest.raises(lk.InvalidParameterError, match=match):
        lk.Experiment(register=False, **kwargs)


def test_claim_must_share_the_experiments_chapter(exp):
    # Claim is built through Experiment.claim
    with pytest.raises(lk.InvalidParameterError, match="experiment's chapter"):
        exp.claim("ch98/x", lambda d: d["heads"] == 1, says="s", section="s")
    with pytest.raises(lk.InvalidParameterError, match="'kind' parameter"):
        exp.claim("ch99/x", lambda d: d["heads"] == 1, says="s", section="s", kind="median")


def test_runner_gives_the_same_ledger_for_any_number_of_processes():
    sys.path.insert(0, str(ROOT / "tools"))
    import claims as runner
    exp_id = next(e.id for e in lk.EXPERIMENTS.values() if e.claims)
    tasks = [(exp_id, 0), (exp_id, 1)]
    assert runner.collect(tasks, 1) == runner.collect(tasks, 2)


@pytest.mark.parametrize("k, n, expected", [(199, 200, "99.5 %"), (1, 200, "0.5 %"),
                                            (200, 200, "100 %"), (0, 200, "0 %"),
                                            (149, 200, "74 %"), (1, 2000, "0.1 %")])
def test_percent_never_rounds_a_partial_rate_to_all_or_nothing(k, n, expected):
    from lkcourse.claims import LedgerEntry
    e = LedgerEntry({"id": "t/x", "kind": "rate", "k": k, "n": n, "value": k / n})
    assert e.percent() == expected
