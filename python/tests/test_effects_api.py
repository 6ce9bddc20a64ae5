"""``axiomc.effect``: exact effects of a binary causal model, from a dict or a file, through the
bundled binary (Simpson's reversal, by hand: the treated recover more often, 0.70 against 0.50,
yet treatment lowers recovery by 0.10 in each stratum of Z)."""
from __future__ import annotations

import json
from fractions import Fraction

import pytest

import axiomc

SIMPSON = {
    "variables": ["Z", "X", "Y"],
    "edges": [["Z", "X"], ["Z", "Y"], ["X", "Y"]],
    "tables": {"Z": {"parents": [], "p": [0.5]},
               "X": {"parents": ["Z"], "p": [0.2, 0.8]},
               "Y": {"parents": ["Z", "X"], "p": [0.4, 0.3, 0.9, 0.8]}},
}

# x -> w -> m -> y and w -> y: w, a descendant of x, confounds m and y (a recanting witness).
WITNESS = {
    "variables": ["X", "W", "M", "Y"],
    "edges": [["X", "W"], ["W", "M"], ["M", "Y"], ["W", "Y"]],
    "tables": {"X": {"parents": [], "p": [0.5]},
               "W": {"parents": ["X"], "p": [0.3, 0.6]},
               "M": {"parents": ["W"], "p": [0.2, 0.7]},
               "Y": {"parents": ["W", "M"], "p": [0.1, 0.4, 0.5, 0.9]}},
}


def test_simpsons_reversal_exactly() -> None:
    assert axiomc.effect(SIMPSON, "association", "X", "Y")["value"] == Fraction(1, 5)
    ate = axiomc.effect(SIMPSON, "ate", "X", "Y")
    assert ate["value"] == Fraction(-1, 10) and ate["decimal"] == "-0.1000"
    assert ate["route"] == "adjustment" and ate["adjustment"] == ["Z"]
    assert [s["value"] for s in ate["strata"]] == ["-1/20", "-1/20"]
    assert axiomc.effect(SIMPSON, "ett", "X", "Y")["value"] == Fraction(-1, 10)


def test_a_model_file_and_an_unidentified_effect(tmp_path) -> None:
    path = tmp_path / "witness.json"
    path.write_text(json.dumps(WITNESS))
    nde = axiomc.effect(path, "nde", "X", "Y", mediator="M")
    assert nde["identified"] is False and nde["value"] is None
    # The total effect is identified (X has no parents): no adjustment.
    ate = axiomc.effect(path, "ate", "X", "Y")
    assert ate["identified"] is True and ate["adjustment"] == [] and isinstance(ate["value"], Fraction)


def test_a_bad_model_raises_with_the_field() -> None:
    bad = json.loads(json.dumps(SIMPSON))
    bad["tables"]["Y"]["p"][1] = 0.405
    with pytest.raises(axiomc.AxiomcError) as e:
        axiomc.effect(bad, "ate", "X", "Y")
    assert "tables.Y.p[1]: 0.405 is not a probability with two decimals" in e.value.message
    with pytest.raises(axiomc.AxiomcError, match="needs --mediator"):
        axiomc.effect(SIMPSON, "nde", "X", "Y")
