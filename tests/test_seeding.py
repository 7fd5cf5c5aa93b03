"""The course-wide seed source: slots, blocks, the environment variable."""
import numpy as np
import pytest

import lkcourse as lk


def test_block_zero_seeds_are_the_slots(monkeypatch):
    monkeypatch.delenv(lk.SEED_BLOCK_ENV, raising=False)
    assert lk.seed_block() == 0
    assert [lk.seed(k) for k in range(5)] == [0, 1, 2, 3, 4]
    assert lk.seeds(3, start=7) == (7, 8, 9)


def test_environment_moves_every_seed(monkeypatch):
    monkeypatch.setenv(lk.SEED_BLOCK_ENV, "3")
    assert lk.seed_block() == 3
    assert lk.seed(0) == 3 * lk.SLOTS_PER_BLOCK
    assert lk.over_seeds(lambda s: float(s), 2).seeds == (300000, 300001)
    a = lk.rng(1).standard_normal(3)
    monkeypatch.setenv(lk.SEED_BLOCK_ENV, "4")
    assert not np.array_equal(a, lk.rng(1).standard_normal(3))


@pytest.mark.parametrize("raw", ["-1", "x", "1.5", str(2**40)])
def test_bad_environment_is_named(monkeypatch, raw):
    monkeypatch.setenv(lk.SEED_BLOCK_ENV, raw)
    with pytest.raises(lk.InvalidParameterError, match=lk.SEED_BLOCK_ENV):
        lk.seed_block()


def test_use_seed_block_call_and_context(monkeypatch):
    monkeypatch.delenv(lk.SEED_BLOCK_ENV, raising=False)
    with lk.use_seed_block(5):
        assert lk.seed(2) == 500002
        with lk.use_seed_block(6):
            assert lk.seed_block() == 6
        assert lk.seed_block() == 5
    assert lk.seed_block() == 0
    lk.use_seed_block(9)                      # a plain call stays in force
    try:
        assert lk.seed_block() == 9
        monkeypatch.setenv(lk.SEED_BLOCK_ENV, "2")
        assert lk.seed_block() == 9           # the call wins over the environment
    finally:
        lk.use_seed_block(None)
    assert lk.seed_block() == 2


def test_blocks_are_disjoint():
    seen = set()
    for block in [0, 1, 2, 1000, 42948]:
        with lk.use_seed_block(block):
            s = set(lk.seeds(1000)) | {lk.seed(lk.SLOTS_PER_BLOCK - 1)}
        assert not s & seen
        seen |= s
    with lk.use_seed_block(42948):
        assert lk.seed(lk.SLOTS_PER_BLOCK - 1) < 2**32       # a valid numpy seed
        lk.rng(lk.SLOTS_PER_BLOCK - 1)


@pytest.mark.parametrize("call,name", [
    (lambda: lk.seed(-1), "'k' parameter of seed"),
    (lambda: lk.seed(lk.SLOTS_PER_BLOCK), "'k' parameter of seed"),
    (lambda: lk.seed(1.0), "'k' parameter of seed"),
    (lambda: lk.rng(True), "'k' parameter of seed"),
    (lambda: lk.seeds(0), "'n' parameter of seeds"),
    (lambda: lk.seeds(10, start=lk.SLOTS_PER_BLOCK - 5), "'start' parameter of seeds"),
    (lambda: lk.use_seed_block(-2), "'block' parameter of use_seed_block"),
    (lambda: lk.use_seed_block(43000), "'block' parameter of use_seed_block"),
])
def test_bad_arguments(call, name):
    with pytest.raises(lk.InvalidParameterError, match=name):
        call()
    assert lk.seed_block() in (0, int(__import__("os").environ.get(lk.SEED_BLOCK_ENV, 0)))


def test_over_seeds_start_and_explicit_seeds():
    with lk.use_seed_block(1):
        d = lk.over_seeds(lambda s: float(s), 3, start=10)
        assert d.seeds == (100010, 100011, 100012)
        assert list(d["value"]) == [100010.0, 100011.0, 100012.0]
    assert lk.over_seeds(lambda s: float(s), seeds=[5, 9]).seeds == (5, 9)
