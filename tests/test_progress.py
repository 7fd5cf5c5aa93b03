"""progress_bar: quiet on stdout, deterministic text, final state kept in notebooks."""
import nbformat
import pytest
from nbclient import NotebookClient

import lkcourse as lk


def test_progress_bar_iterates_and_prints_nothing_to_stdout(capsys):
    assert list(lk.progress_bar(range(5), desc="x")) == [0, 1, 2, 3, 4]
    out = capsys.readouterr()
    assert out.out == ""
    assert "5/5" in out.err and "x:" in out.err
    assert "it/s" not in out.err            # no timings by default


def test_progress_bar_validates():
    with pytest.raises(lk.InvalidParameterError, match="'total' parameter of progress_bar"):
        lk.progress_bar(total=-1)
    with pytest.raises(lk.InvalidParameterError, match="'timings' parameter of progress_bar"):
        lk.progress_bar(range(2), timings="yes")


def test_notebook_output_keeps_the_final_bar_and_is_deterministic():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import lkcourse as lk\n"
        "for i in lk.progress_bar(range(7), desc='sweep'):\n    pass\n"
        "bar = lk.progress_bar(total=3, desc='manual')\n"
        "for _ in range(3):\n    bar.update(1)\n"
        "bar.close()")]
    texts = []
    for _ in range(2):
        run = NotebookClient(nbformat.from_dict(nb), timeout=120, kernel_name="python3")
        out = run.execute()
        plain = [o["data"]["text/plain"] for o in out.cells[0].outputs
                 if o.get("output_type") == "display_data"]
        texts.append(plain)
    assert len(texts[0]) == 2, texts[0]
    assert "sweep: 100%" in texts[0][0] and "7/7" in texts[0][0]
    assert "manual: 100%" in texts[0][1] and "3/3" in texts[0][1]
    assert texts[0] == texts[1]
