"""``axiomc.to_cladder``: causal-model records as CLadder's question and model files, read back
the way CLadder's own loader reads them (``meta_models[datum['meta']['model_id']]['background']``,
then ``given_info``, then ``question``), with fields and types as its released files have them;
the ground truth by hand on Simpson's reversal."""
from __future__ import annotations

import json
import re
from fractions import Fraction

import axiomc
from axiomc.cladder import cladder_records

# CLadder's query types and the rung of each (its README and released files).
RUNGS = {"marginal": 1, "correlation": 1, "exp_away": 1, "ate": 2, "backadj": 2, "collider_bias": 2,
         "ett": 3, "nde": 3, "nie": 3, "det-counterfactual": 3}


def split_records(corpus, split: str) -> list[dict]:
    manifest = json.loads((corpus / "manifest.json").read_text())
    return [json.loads(line) for shard in manifest["splits"][split]["shards"]
            for line in (corpus / shard["file"]).read_text().splitlines()]


def test_an_interventions_corpus_exports_and_loads_as_cladder_does(tmp_path) -> None:
    corpus = axiomc.compile("interventions", tmp_path / "iv", scale=0.01)
    written = axiomc.to_cladder(corpus, tmp_path / "cladder")
    assert list(written) == ["train", "eval_3_6", "eval_7_10", "eval_branching"]
    for split, (questions_path, models_path) in written.items():
        with open(questions_path) as f:
            data = json.load(f)
        with open(models_path) as f:
            meta_models = json.load(f)
        records = {r["id"]: r for r in split_records(corpus, split)}
        assert len(data) == len(records) and isinstance(meta_models, list)
        kinds = set()
        for k, datum in enumerate(data):
            # CLadder's loader: the model by list index, then background, given_info, question.
            model = meta_models[datum["meta"]["model_id"]]
            assert model["model_id"] == datum["meta"]["model_id"]
            raw_prompt = f"{model['background'].strip()} {datum['given_info'].strip()} {datum['question'].strip()}"
            assert isinstance(model["variable_mapping"], dict) and isinstance(model["structure"], str)
            assert datum["question_id"] == k + 1 and isinstance(datum["desc_id"], str)
            assert datum["answer"] in ("yes", "no")
            meta = datum["meta"]
            assert RUNGS[meta["query_type"]] == meta["rung"] and isinstance(meta["groundtruth"], float)
            kinds.add((meta["query_type"], datum["answer"]))
            # The record behind it: the same premise (after CLadder's opening) and question.
            record = records[meta["axiomc_id"]]
            opening = "Imagine a self-contained, hypothetical world with only the following conditions, " \
                      "and without any unmentioned factors or causal relationships: "
            assert raw_prompt == opening + record["premise"] + " " + record["hypothesis"]
            assert datum["answer"] == record["label"].lower()
            # The ground truth's sign is the answer, and its value the explanation's sum.
            assert (meta["groundtruth"] > 0) == (datum["answer"] == "yes")
            total = re.search(r"is (-?[0-9]+\.[0-9]+), which is", record["explanation"])
            assert total and abs(float(total.group(1)) - meta["groundtruth"]) <= 0.00005 + 1e-12
            reasoning = datum["reasoning"]
            assert all(isinstance(v, str) for v in reasoning.values())
            # `end` rounds the sum as the explanation does.
            assert reasoning["step1"] == model["structure"] and reasoning["end"].split()[0] == total.group(1)
            assert sum(key.startswith("step") for key in reasoning) >= 4
        # Every query type with both answers in every split.
        assert kinds == {(t, a) for t in ("correlation", "ate", "ett") for a in ("yes", "no")}, split
    # Predictions keyed by CLadder's question_id score through axiomc eval: the gold answers
    # score 1.0, their opposites 0.0 (a CSV with desc_id as a CLadder script might write).
    questions_path = written["eval_7_10"][0]
    data = json.loads(questions_path.read_text())
    right = axiomc.cladder.from_cladder_predictions(
        questions_path, [{"question_id": q["question_id"], "pred": q["answer"]} for q in data])
    assert axiomc.evaluate(corpus, right, split="eval_7_10")["overall"]["accuracy"] == 1.0
    csv_path = tmp_path / "predictions.csv"
    csv_path.write_text("desc_id,pred\n" + "".join(
        f"{q['desc_id']},{'no' if q['answer'] == 'yes' else 'yes'}\n" for q in data))
    wrong = axiomc.cladder.from_cladder_predictions(questions_path, csv_path)
    assert [w["id"] for w in wrong] == [q["meta"]["axiomc_id"] for q in data]
    assert axiomc.evaluate(corpus, wrong, split="eval_7_10")["overall"]["accuracy"] == 0.0
    try:
        axiomc.cladder.from_cladder_predictions(questions_path, [{"question_id": 10 ** 6, "pred": "yes"}])
    except ValueError as e:
        assert "prediction 1: question 1000000 is not in" in str(e)
    else:
        raise AssertionError("an unknown question was accepted")


def simpson_record(task: str, label: str, rl: bool = False) -> dict:
    """Z → X, Z → Y, X → Y: the treated recover more often (0.70 against 0.50), yet treatment
    lowers recovery by 0.10 in each stratum of Z (tables in the record order: Y's parents Z
    then X, the first the most significant)."""
    record = {
        "id": "train-000000001", "split": "train", "axiom": task, "label": label,
        "premise": "Z causes X. Z causes Y. X causes Y. P(Z = 1) = 0.50. P(X = 1 | Z = 0) = 0.20. "
                   "P(X = 1 | Z = 1) = 0.80. P(Y = 1 | Z = 0, X = 0) = 0.40. P(Y = 1 | Z = 0, X = 1) = 0.30. "
                   "P(Y = 1 | Z = 1, X = 0) = 0.90. P(Y = 1 | Z = 1, X = 1) = 0.80.",
        "hypothesis": "Does setting X to 1 instead of 0 make Y = 1 more likely?",
        "graph": {"nodes": ["Z", "X", "Y"], "edges": [[0, 1], [0, 2], [1, 2]], "tables": [[50], [20, 80], [40, 30, 90, 80]]},
        "query": {"x": 1, "y": 2, "given": []},
        "meta": {"family": "random"},
    }
    if not rl:
        return record
    # The rl layout: veRL's fields, the flat record under extra_info, the label as ground truth.
    gold = record.pop("label")
    return {"data_source": "axiomc/interventions", "prompt": [{"role": "user", "content": "..."}],
            "ability": "causal-reasoning", "reward_model": {"style": "rule", "ground_truth": gold},
            "extra_info": record}


def test_simpsons_reversal_by_hand() -> None:
    questions, models = cladder_records([simpson_record("association", "Yes"), simpson_record("intervention", "No"),
                                         simpson_record("treated-effect", "No")])
    assert [q["meta"]["query_type"] for q in questions] == ["correlation", "ate", "ett"]
    # The association: P(Y | X=1) = 0.70, P(Y | X=0) = 0.50; both effects -0.10.
    assert [Fraction(q["meta"]["groundtruth"]).limit_denominator(100) for q in questions] == [
        Fraction(1, 5), Fraction(-1, 10), Fraction(-1, 10)]
    assert [q["answer"] for q in questions] == ["yes", "no", "no"]
    # One model for the three questions; its params nested by the parents' values.
    assert len(models) == 1 and all(q["meta"]["model_id"] == 0 for q in questions)
    assert models[0]["params"]["p(Y | Z, X)"] == [[0.4, 0.3], [0.9, 0.8]]
    assert models[0]["background"].endswith("Z causes X. Z causes Y. X causes Y.")
    assert questions[0]["given_info"].startswith("P(Z = 1) = 0.50.")


def test_rl_records_export_as_the_flat_ones() -> None:
    flat = cladder_records([simpson_record("intervention", "No")])
    rl = cladder_records([simpson_record("intervention", "No", rl=True)])
    assert rl == flat


def test_parents_in_index_order_not_edge_order() -> None:
    # X is node 0, Z node 1: Y's parents are X then Z by index, though the edges list Z -> Y
    # first. The table's first parent (X) is the most significant: P(Y=1 | X=0, Z=1) = 0.90.
    record = simpson_record("intervention", "No")
    record["graph"] = {"nodes": ["X", "Z", "Y"], "edges": [[1, 0], [1, 2], [0, 2]],
                       "tables": [[20, 80], [50], [40, 90, 30, 80]]}
    record["query"] = {"x": 0, "y": 2, "given": []}
    record["premise"] = ("Z causes X. Z causes Y. X causes Y. P(X = 1 | Z = 0) = 0.20. P(X = 1 | Z = 1) = 0.80. "
                         "P(Z = 1) = 0.50. P(Y = 1 | X = 0, Z = 0) = 0.40. P(Y = 1 | X = 0, Z = 1) = 0.90. "
                         "P(Y = 1 | X = 1, Z = 0) = 0.30. P(Y = 1 | X = 1, Z = 1) = 0.80.")
    questions, models = cladder_records([record])
    assert models[0]["params"]["p(Y | X, Z)"] == [[0.4, 0.9], [0.3, 0.8]]
    assert Fraction(questions[0]["meta"]["groundtruth"]).limit_denominator(100) == Fraction(-1, 10)


def test_end_rounds_as_the_explanation_rounds() -> None:
    from axiomc.cladder import decimal
    assert decimal(Fraction(-1324, 10000)) == "-0.1324"
    assert decimal(Fraction(3455, 100000)) == "0.0346"  # half away from zero, not half to even
    assert decimal(Fraction(-3455, 100000)) == "-0.0346"
    assert decimal(Fraction(12, 1000000)) == "0.000012"  # more places where four show 0
    assert decimal(Fraction(0)) == "0.0000"


def test_a_label_the_tables_contradict_is_refused() -> None:
    try:
        cladder_records([simpson_record("intervention", "Yes")])
    except ValueError as e:
        assert "disagrees with the tables" in str(e)
    else:
        raise AssertionError("a wrong label was exported")
