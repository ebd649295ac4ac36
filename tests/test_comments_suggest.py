"""Machine-assisted coding: suggestions, the model as a coder, and its measured quality.

Small hand-made comments check what the suggestions are and how they are recorded; the
statistics are checked against hand calculations and against scikit-learn and statsmodels;
the real NHS feedback in ``../shared/data/real/`` (when present) checks the quality the
issue asks for: 5-fold macro F1 >= 0.64 and Cohen's kappa >= 0.67 within a minute.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from analysis.comments import Code, Codebook, CodingLog, agreement, load_codings
from analysis.comments.suggest import (
    SUGGESTION_COLUMNS,
    model_codings,
    record_accepted_suggestions,
    record_model_codings,
    suggest_codes,
)
from analysis.comments.suggest_model import (
    MODEL_CODER,
    TooFewCodedError,
    _fit_platt,
    coding_task,
    opening_clause,
)
from analysis.comments.suggest_quality import (
    LEARNING_CURVE_COLUMNS,
    QUALITY_COLUMNS,
    _support_notes,
    coding_quality,
    cross_validate_coding,
    learning_curve,
    learning_curve_finding,
    suggestion_quality,
)

REAL_FEEDBACK = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real"
).resolve() / "nhs_patient_feedback_coded.csv"

# Three codes with words of their own (the codebook's keywords); each comment below holds
# one of its code's words, and the uncoded ones repeat words of the coded ones.
VOCABULARY = {
    "pay": ["pay", "salary", "wages", "pay rise", "band", "overtime rates"],
    "parking": ["parking", "car park", "spaces", "permit", "parking fees", "car"],
    "training": ["training", "course", "study leave", "learning", "mandatory training", "cpd"],
}
CODED = {
    "pay": [
        "More pay please",
        "The salary is too low",
        "Wages have not kept up",
        "A fair pay rise",
        "Pay us for our band",
    ],
    "parking": [
        "Parking is impossible",
        "The car park is always full",
        "Not enough spaces",
        "A parking permit costs too much",
        "Parking fees are unfair",
    ],
    "training": [
        "More training",
        "Time for a course",
        "Study leave is refused",
        "Protected learning time",
        "Mandatory training is rushed",
    ],
}
UNCODED = {
    "u-pay": ("Low salary and no pay rise", "pay"),
    "u-parking": ("The car park has no spaces", "parking"),
    "u-training": ("I want a training course", "training"),
}


def separable() -> tuple[pd.DataFrame, pd.DataFrame]:
    """15 coded comments (5 per code) and 3 uncoded ones, one obvious code each."""
    ids, texts, codes = [], [], []
    for code, comments in CODED.items():
        for number, text in enumerate(comments):
            ids.append(f"{code}-{number}")
            texts.append(text)
            codes.append(code)
    comments = pd.DataFrame(
        {"comment_id": ids + list(UNCODED), "text": texts + [t for t, _ in UNCODED.values()]}
    )
    codings = pd.DataFrame({"comment_id": ids, "coder": "researcher", "code_id": codes})
    return comments, codings


def codebook() -> Codebook:
    entries = [Code("PEOPLE", "Pay and conditions", codable=False)]
    entries += [
        Code(code, code.title(), parent="PEOPLE", keywords=tuple(words))
        for code, words in VOCABULARY.items()
    ]
    return Codebook(entries)


# --------------------------------------------------------------------------- features


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        ("Parking is awful, but the staff were lovely.", "Parking is awful"),
        ("Food was cold and the ward was noisy", "Food was cold"),
        ("Nothing. Everything was fine", "Nothing"),
        ("...  Staff were kind", "Staff were kind"),
        ("Brandon was helpful", "Brandon was helpful"),  # "and" inside a word is no break
        ("", ""),
    ],
)
def test_opening_clause_stops_at_the_first_break(text: str, opening: str) -> None:
    assert opening_clause(text) == opening


def test_keyword_hints_match_whole_words_only() -> None:
    comments = pd.DataFrame(
        {
            "comment_id": ["a", "b", "c", "d"],
            "text": ["PARKING again", "sparking plugs", "a Study Leave form", "nothing"],
        }
    )
    codings = pd.DataFrame({"comment_id": ["a"], "code_id": ["parking"]})
    task = coding_task(comments, codings, codebook())
    # no question column, so the indicator columns are the hints of pay, parking, training;
    # "sparking" holds "parking" but not as a word, "study leave" matches across case
    expected = [[0, 1, 0], [0, 0, 0], [0, 0, 1], [0, 0, 0]]
    assert task.hashed.indicators.toarray().tolist() == expected


# --------------------------------------------------------------------------- suggestions


def test_separable_comments_get_the_right_suggestions() -> None:
    comments, codings = separable()
    suggestions = suggest_codes(comments, codings, top=3, min_probability=0.0)

    assert list(suggestions.columns) == SUGGESTION_COLUMNS
    # only the uncoded comments, each with all three codes ranked 1, 2, 3
    assert sorted(suggestions["comment_id"].unique()) == sorted(UNCODED)
    assert suggestions.groupby("comment_id")["rank"].apply(list).tolist() == [[1, 2, 3]] * 3
    best = suggestions[suggestions["rank"] == 1].set_index("comment_id")["code_id"].to_dict()
    assert best == {comment: code for comment, (_, code) in UNCODED.items()}
    # the model's own choice is its most probable code, and nothing else
    assert (suggestions["chosen"] == (suggestions["rank"] == 1)).all()
    assert suggestions["probability"].between(0, 1).all()
    # one code per comment: the three probabilities are a softmax, so they add up to 1
    totals = suggestions.groupby("comment_id")["probability"].sum()
    np.testing.assert_allclose(totals, 1.0)
    assert (suggestions.loc[suggestions["rank"] == 1, "probability"] > 0.5).all()


def test_suggestions_are_ranked_and_cut_by_probability() -> None:
    comments, codings = separable()
    suggestions = suggest_codes(comments, codings, top=2, min_probability=0.0)
    assert suggestions.groupby("comment_id").size().tolist() == [2, 2, 2]
    ranked = suggestions.sort_values(["comment_id", "rank"])
    falling = ranked.groupby("comment_id")["probability"].apply(lambda p: p.is_monotonic_decreasing)
    assert falling.all()
    # a threshold above every runner-up keeps only each comment's chosen code
    second = ranked.loc[ranked["rank"] == 2, "probability"].max()
    kept = suggest_codes(comments, codings, top=3, min_probability=float(second) + 1e-9)
    assert kept["rank"].tolist() == [1, 1, 1] and kept["chosen"].all()


def test_suggestions_carry_codebook_labels_and_notes() -> None:
    comments, codings = separable()
    suggestions = suggest_codes(comments, codings, codebook())
    assert set(suggestions["label"]) <= {"Pay", "Parking", "Training"}
    assert suggestions.attrs["notes"][0].startswith("learnt from 15 coded comments")


def test_several_codes_per_comment_are_each_suggested() -> None:
    comments, codings = separable()
    # six comments with two codes each make this a several-codes-per-comment scheme
    pairs = [
        ("p1", "Pay and parking both need fixing", ("pay", "parking")),
        ("p2", "Salary low, car park full", ("pay", "parking")),
        ("p3", "Wages and spaces", ("pay", "parking")),
        ("p4", "Pay for training courses", ("pay", "training")),
        ("p5", "Training and parking permits", ("parking", "training")),
        ("p6", "Study leave and a pay rise", ("pay", "training")),
    ]
    comments = pd.concat(
        [comments, pd.DataFrame([(i, t) for i, t, _ in pairs], columns=["comment_id", "text"])]
    )
    extra = [(i, "researcher", code) for i, _, codes in pairs for code in codes]
    codings = pd.concat([codings, pd.DataFrame(extra, columns=list(codings.columns))])
    suggestions = suggest_codes(comments, codings, top=3, min_probability=0.0)

    chosen = suggestions[suggestions["chosen"]].groupby("comment_id")["code_id"].apply(set)
    assert chosen.to_dict() == {comment: {code} for comment, (_, code) in UNCODED.items()}
    # probabilities of separate codes no longer add up to 1, but stay probabilities;
    # chosen codes are those at 0.5 or more
    assert suggestions["probability"].between(0, 1).all()
    assert (suggestions["chosen"] == (suggestions["probability"] >= 0.5)).all()


def test_a_coded_comment_left_without_a_code_can_be_the_model_choice() -> None:
    comments, codings = separable()
    blank = ["Thank you", "No comment", "Thank you all", "No comment really"]
    comments = pd.concat(
        [
            comments,
            pd.DataFrame({"comment_id": [f"n{i}" for i in range(4)], "text": blank}),
            pd.DataFrame({"comment_id": ["u-none"], "text": ["No comment, thank you"]}),
        ]
    )
    read_only = pd.DataFrame(
        {"comment_id": [f"n{i}" for i in range(4)], "coder": "researcher", "code_id": None}
    )
    suggestions = suggest_codes(comments, pd.concat([codings, read_only]), min_probability=0.0)
    # "no code" is the most probable outcome: every code is offered, none is chosen, and
    # the three codes' probabilities leave room for "no code"
    mine = suggestions[suggestions["comment_id"] == "u-none"]
    assert len(mine) == 3 and not mine["chosen"].any()
    assert mine["probability"].sum() < 0.5


def test_bad_input_is_refused_with_a_helpful_message() -> None:
    comments, codings = separable()
    second = codings.assign(coder="supervisor")
    with pytest.raises(ValueError, match="several coders.*codings_for_analysis"):
        suggest_codes(comments, pd.concat([codings, second]))
    with pytest.raises(ValueError, match="not in comments"):
        suggest_codes(comments, pd.concat([codings, codings.head(1).assign(comment_id="x9")]))
    with pytest.raises(ValueError, match="not codable codes"):
        suggest_codes(comments, codings.assign(code_id="PEOPLE"), codebook())
    with pytest.raises(ValueError, match="lack the column"):
        suggest_codes(comments.drop(columns="text"), codings)
    with pytest.raises(ValueError, match="repeat"):
        suggest_codes(pd.concat([comments, comments.head(1)]), codings)
    with pytest.raises(ValueError, match="top"):
        suggest_codes(comments, codings, top=0)
    with pytest.raises(TooFewCodedError, match="needs 3 coded comments"):
        suggest_codes(comments, codings[codings["code_id"] == "pay"].head(2))


def test_the_model_coder_rows_are_not_learnt_from() -> None:
    comments, codings = separable()
    # the model's own (here absurd) coding of every coded comment must not count as a coder
    model_rows = codings.assign(coder=MODEL_CODER, code_id="pay")
    suggestions = suggest_codes(comments, pd.concat([codings, model_rows]))
    best = suggestions[suggestions["rank"] == 1].set_index("comment_id")["code_id"].to_dict()
    assert best == {comment: code for comment, (_, code) in UNCODED.items()}


def test_everything_coded_leaves_nothing_to_suggest() -> None:
    comments, codings = separable()
    coded = comments[comments["comment_id"].isin(codings["comment_id"])]
    suggestions = suggest_codes(coded, codings)
    assert suggestions.empty and suggestions.attrs["notes"] == ["every comment is coded"]


# --------------------------------------------------------------------------- the model as a coder


def test_model_codings_code_each_coded_comment_without_having_seen_it() -> None:
    comments, codings = separable()
    # the coder slipped: a comment about pay coded as parking. A model that had learnt
    # from this comment could repeat the slip; one that never saw it codes it as pay.
    slip = pd.DataFrame({"comment_id": ["slip"], "text": ["My salary and pay are too low"]})
    comments = pd.concat([comments, slip])
    codings = pd.concat(
        [
            codings,
            pd.DataFrame({"comment_id": ["slip"], "coder": ["researcher"], "code_id": ["parking"]}),
        ]
    )
    model = model_codings(comments, codings, folds=5)
    assert list(model.columns) == ["comment_id", "coder", "code_id"]
    assert set(model["coder"]) == {MODEL_CODER}
    by_comment = model.set_index("comment_id")["code_id"]
    assert by_comment["slip"] == "pay"
    assert sorted(model["comment_id"]) == sorted(comments["comment_id"])  # every comment
    assert by_comment["u-training"] == "training"


def test_model_codings_of_a_held_out_sample_use_one_model_that_never_saw_it() -> None:
    comments, codings = separable()
    slip = pd.DataFrame({"comment_id": ["slip"], "text": ["My salary and pay are too low"]})
    comments = pd.concat([comments, slip])
    slipped = pd.DataFrame(
        {"comment_id": ["slip"], "coder": ["researcher"], "code_id": ["parking"]}
    )
    codings = pd.concat([codings, slipped])
    sample = ["slip", "pay-0", "parking-1", "training-2"]
    model = model_codings(comments, codings, codebook(), sample=sample)
    # only the sample is coded, and the slip (held out) is coded as what it says
    assert model.set_index("comment_id")["code_id"].to_dict() == {
        "pay-0": "pay",
        "parking-1": "parking",
        "training-2": "training",
        "slip": "pay",
    }
    with pytest.raises(ValueError, match="not in comments"):
        model_codings(comments, codings, sample=["nobody"])


def test_model_codings_are_recorded_and_agreement_reported(tmp_path: Path) -> None:
    comments, codings = separable()
    with CodingLog(tmp_path, "researcher") as log:
        log.record_codings(codings.drop(columns="coder"))
    model = model_codings(comments, codings, codebook(), folds=5)

    assert record_model_codings(tmp_path, model, codebook()) == len(comments)
    assert record_model_codings(tmp_path, model, codebook()) == 0  # nothing new to write
    stored = load_codings(tmp_path)
    assert set(stored["coder"]) == {"researcher", MODEL_CODER}
    # separable comments: the model, never shown a comment it codes, agrees with the
    # researcher on all 15 coded comments, so kappa is 1 per code and overall
    table = agreement(stored).set_index("code")
    assert table.loc["overall", "n_units"] == 15
    assert table["cohen_kappa"].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_accepted_suggestions_go_to_the_coders_own_log(tmp_path: Path) -> None:
    comments, codings = separable()
    suggestions = suggest_codes(comments, codings, top=1)
    suggestions["accepted"] = suggestions["comment_id"] != "u-parking"  # one rejected

    with CodingLog(tmp_path, "researcher") as log:
        assert record_accepted_suggestions(log, suggestions) == 2
        assert log.codes_of("u-pay") == {"pay"} and not log.is_read("u-parking")
        history = log.history()
    assert history["memo"].str.match(r"accepted suggestion \(p = 0\.\d\d\)").all()
    with CodingLog(tmp_path, MODEL_CODER) as log, pytest.raises(ValueError, match="person"):
        record_accepted_suggestions(log, suggestions)
    with CodingLog(tmp_path, "researcher") as log, pytest.raises(ValueError, match="accepted"):
        record_accepted_suggestions(log, suggestions.drop(columns="accepted"))


# --------------------------------------------------------------------------- quality


def test_coding_quality_by_hand() -> None:
    comments = pd.DataFrame({"comment_id": list("wxyz"), "text": ["a", "b", "c", "d"]})
    codings = pd.DataFrame({"comment_id": list("wxyz"), "code_id": ["a", "a", "b", "b"]})
    task = coding_task(comments, codings)
    # the model codes w, x, y, z as a, b, b, b
    chosen = np.array([[True, False], [False, True], [False, True], [False, True]])
    table = coding_quality(task, chosen).set_index("code")

    assert list(table.reset_index().columns) == QUALITY_COLUMNS
    # code a: 1 of the person's 2 found, and the model's 1 is right:
    #   precision 1/1, recall 1/2, F1 = 2*1 / (2 + 1) = 2/3
    # code b: precision 2/3, recall 2/2, F1 = 2*2 / (2 + 3) = 0.8
    np.testing.assert_allclose(table.loc["a", ["precision", "recall", "f1"]], [1, 0.5, 2 / 3])
    np.testing.assert_allclose(table.loc["b", ["precision", "recall", "f1"]], [2 / 3, 1, 0.8])
    # kappa of a: the person 1,1,0,0 and the model 1,0,0,0 agree on 3 of 4 (po = 0.75);
    #   chance pe = 0.5 * 0.25 + 0.5 * 0.75 = 0.5, so kappa = (0.75 - 0.5) / 0.5 = 0.5;
    #   b and the overall (a,a,b,b against a,b,b,b) work out the same
    np.testing.assert_allclose(table["cohen_kappa"], [0.5, 0.5, 0.5, 0.5])
    # macro: means of the code rows; overall: 3 of 4 comments coded alike
    macro = [(1 + 2 / 3) / 2, (0.5 + 1) / 2, (2 / 3 + 0.8) / 2]
    np.testing.assert_allclose(table.loc["macro", ["precision", "recall", "f1"]], macro)
    np.testing.assert_allclose(table.loc["overall", ["precision", "recall", "f1"]], 0.75)
    assert table.loc["macro", "support"] == 4 and table.loc["b", "predicted"] == 3


def test_coding_quality_matches_scikit_learn() -> None:
    rng = np.random.default_rng(7)
    codes = ["a", "b", "c", "d"]
    person = rng.choice(codes, size=400, p=[0.5, 0.3, 0.15, 0.05])
    model = np.where(rng.random(400) < 0.7, person, rng.choice(codes, size=400))
    comments = pd.DataFrame({"comment_id": [f"c{i}" for i in range(400)], "text": "x"})
    task = coding_task(
        comments, pd.DataFrame({"comment_id": comments["comment_id"], "code_id": person})
    )
    chosen = np.array([[m == code for code in task.codes] for m in model])
    table = coding_quality(task, chosen).set_index("code")

    precision, recall, f1, support = precision_recall_fscore_support(person, model, labels=codes)
    np.testing.assert_allclose(table.loc[codes, "precision"], precision)
    np.testing.assert_allclose(table.loc[codes, "recall"], recall)
    np.testing.assert_allclose(table.loc[codes, "f1"], f1)
    assert table.loc[codes, "support"].tolist() == support.tolist()
    np.testing.assert_allclose(table.loc["macro", "f1"], f1.mean())
    np.testing.assert_allclose(
        table.loc["overall", "cohen_kappa"], cohen_kappa_score(person, model)
    )
    for code in codes:
        np.testing.assert_allclose(
            table.loc[code, "cohen_kappa"], cohen_kappa_score(person == code, model == code)
        )


def test_cross_validation_with_keyword_hints_is_perfect() -> None:
    comments, codings = separable()
    # every coded comment holds a keyword of its code, so with the codebook's hints a
    # model that never saw a comment still codes it right
    table = cross_validate_coding(comments, codings, codebook(), folds=5, seed=3)
    assert table["code"].tolist() == ["pay", "parking", "training", "macro", "overall"]
    np.testing.assert_allclose(table[["precision", "recall", "f1", "cohen_kappa"]], 1.0)
    assert table.attrs["n_coded"] == 15 and table.attrs["seconds"] > 0
    # without them, words seen in one comment only ("spaces", "wages") are no help
    unhinted = cross_validate_coding(comments, codings, folds=5, seed=3).set_index("code")
    assert unhinted.loc["macro", "f1"] < 0.9
    with pytest.raises(ValueError, match="folds"):
        cross_validate_coding(comments, codings, folds=1)


def synthetic(size: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Comments of four words each: a code's own words with chance 0.5, shared noise else."""
    rng = np.random.default_rng(seed)
    noise = ["the", "ward", "team", "really", "today", "always", "some", "people"]
    codes = rng.choice(list(VOCABULARY), size=size)
    texts = [
        " ".join(
            rng.choice(VOCABULARY[code]) if rng.random() < 0.5 else rng.choice(noise)
            for _ in range(4)
        )
        for code in codes
    ]
    ids = [f"c{i}" for i in range(size)]
    return (
        pd.DataFrame({"comment_id": ids, "text": texts}),
        pd.DataFrame({"comment_id": ids, "code_id": codes}),
    )


def test_learning_curve_improves_with_more_coded_comments() -> None:
    comments, codings = synthetic(300, seed=1)
    curve = learning_curve(comments, codings, sizes=[4, 12, 240], folds=5, seed=0)
    assert list(curve.columns) == LEARNING_CURVE_COLUMNS
    assert curve["n_coded"].tolist() == [4, 12, 240]
    # 4 comments cannot hold 3 examples of two codes: nothing can be learnt
    assert curve.iloc[0, 1:].isna().all()
    # with 240 comments about 15 in 16 comments hold a word of their code (1 - 0.5**4)
    assert curve.loc[2, "macro_f1"] > curve.loc[1, "macro_f1"]
    assert curve.loc[2, "percent_agreement"] > 0.85 and curve.loc[2, "cohen_kappa"] > 0.8
    with pytest.raises(ValueError, match="sizes must be between 1 and 240"):
        learning_curve(comments, codings, sizes=[500])


@pytest.mark.slow
def test_learning_curve_default_sizes_double_up_to_a_whole_fold() -> None:
    comments, codings = synthetic(300, seed=2)
    curve = learning_curve(comments, codings, folds=5)
    assert curve["n_coded"].tolist() == [50, 100, 200, 240]


def test_quality_table_of_several_codes_per_comment_matches_scikit_learn() -> None:
    # six comments, codes a, b, c, several per comment; c5 was read and left without a code
    person = {"c1": "ab", "c2": "a", "c3": "b", "c4": "c", "c5": "", "c6": "ac"}
    model = {"c1": "a", "c2": "ab", "c3": "b", "c4": "c", "c5": "c", "c6": "c"}
    comments = pd.DataFrame({"comment_id": list(person), "text": "x"})
    codings = pd.DataFrame(
        [(i, code) for i, codes in person.items() for code in codes or [""]],
        columns=["comment_id", "code_id"],
    )
    task = coding_task(comments, codings)
    assert task.codes == ("a", "b", "c") and not task.exclusive
    truth = np.array([[code in person[i] for code in "abc"] for i in person])
    chosen = np.array([[code in model[i] for code in "abc"] for i in model])
    np.testing.assert_array_equal(task.targets, truth)
    table = coding_quality(task, chosen).set_index("code")

    # by hand, per code (person | model on c1..c6):
    #   a: 110001 | 110000: TP 2 of support 3, predicted 2: P 1, R 2/3, F1 4/5;
    #      agree on 5 of 6, chance 1/2 * 1/3 + 1/2 * 2/3 = 1/2: kappa (5/6 - 1/2) / (1/2) = 2/3
    #   b: 101000 | 011000: TP 1 of 2, predicted 2: P 1/2, R 1/2, F1 1/2;
    #      agree 4/6, chance (1/3)^2 + (2/3)^2 = 5/9: kappa (2/3 - 5/9) / (4/9) = 1/4
    #   c: 000101 | 000111: TP 2 of 2, predicted 3: P 2/3, R 1, F1 4/5; kappa 2/3 as for a
    expected = {
        "a": [3, 2, 1, 2 / 3, 0.8, 2 / 3],
        "b": [2, 2, 0.5, 0.5, 0.5, 0.25],
        "c": [2, 3, 2 / 3, 1, 0.8, 2 / 3],
        # macro: the means of the three rows (13/18, 13/18, 0.7, 19/36); support totals
        "macro": [7, 7, 13 / 18, 13 / 18, 0.7, 19 / 36],
        # overall: TP 5 of 7 and 7 predicted; kappa over the sets of codes: the person's six
        #   sets each once, the model's a, ab, b, c, c, c; agree on c3 and c4 (2/6), chance
        #   (1 + 1 + 1 + 3) / 36 = 1/6: kappa (1/3 - 1/6) / (5/6) = 0.2
        "overall": [7, 7, 5 / 7, 5 / 7, 5 / 7, 0.2],
    }
    columns = ["support", "predicted", "precision", "recall", "f1", "cohen_kappa"]
    for code, values in expected.items():
        np.testing.assert_allclose(table.loc[code, columns].astype(float), values, err_msg=code)

    # and the same from scikit-learn
    precision, recall, f1, support = precision_recall_fscore_support(truth, chosen, average=None)
    codes = ["a", "b", "c"]
    np.testing.assert_allclose(table.loc[codes, "precision"], precision)
    np.testing.assert_allclose(table.loc[codes, "recall"], recall)
    np.testing.assert_allclose(table.loc[codes, "f1"], f1)
    assert table.loc[codes, "support"].tolist() == support.tolist() == [3, 2, 2]
    kappas = [cohen_kappa_score(truth[:, j], chosen[:, j]) for j in range(3)]
    np.testing.assert_allclose(table.loc[codes, "cohen_kappa"], kappas)
    macro = precision_recall_fscore_support(truth, chosen, average="macro")[:3]
    np.testing.assert_allclose(table.loc["macro", ["precision", "recall", "f1"]], macro)
    micro = precision_recall_fscore_support(truth, chosen, average="micro")[:3]
    np.testing.assert_allclose(table.loc["overall", ["precision", "recall", "f1"]], micro)
    sets = cohen_kappa_score(task.categories(truth), task.categories(chosen))
    np.testing.assert_allclose(table.loc["overall", "cohen_kappa"], sets)


@pytest.mark.slow
def test_suggestion_quality_reuses_the_cross_validation_as_the_curves_last_point() -> None:
    comments, codings = synthetic(300, seed=1)
    quality = suggestion_quality(comments, codings, folds=5, sizes=[100, 12, 240, 500], seed=0)

    # the same folds and models as the two functions apart, fitted once
    alone = cross_validate_coding(comments, codings, folds=5, seed=0)
    pd.testing.assert_frame_equal(quality.by_code, alone)
    curve = quality.learning_curve
    assert list(curve.columns) == LEARNING_CURVE_COLUMNS
    # 240 and 500 are not below a fold's 240 training comments: the last row learns from all
    assert curve["n_coded"].tolist() == [12, 100, 240]
    earlier = learning_curve(comments, codings, sizes=[12, 100], folds=5, seed=0)
    pd.testing.assert_frame_equal(curve.iloc[:2], earlier)
    rows = alone.set_index("code")
    assert curve.loc[2, "macro_f1"] == rows.loc["macro", "f1"]
    assert curve.loc[2, "cohen_kappa"] == rows.loc["overall", "cohen_kappa"]
    # one code per comment: the overall F1 is the share of comments coded alike
    assert curve.loc[2, "percent_agreement"] == pytest.approx(rows.loc["overall", "f1"])
    assert curve.attrs["seconds"] > 0


def test_suggestion_quality_names_codes_with_too_few_coded_comments() -> None:
    comments, codings = separable()
    book = Codebook([*codebook(), Code("canteen", "Canteen", parent="PEOPLE")])
    quality = suggestion_quality(comments, codings, book, folds=5, seed=3)
    assert quality.by_code["code"].tolist()[:4] == ["pay", "parking", "training", "canteen"]
    assert quality.by_code.attrs["notes"][1:] == [
        "3 codes have fewer than 30 comments coded by people, so each comment found or "
        "missed moves their recall by more than 0.03: read their figures as rough "
        "(Pay (5); Parking (5); Training (5))",
        "no comment coded by people has Canteen: the model cannot learn it and there is "
        "nothing to measure",
    ]
    # with min_support 5, five coded comments are enough: only the absent code is named
    enough = suggestion_quality(comments, codings, book, folds=5, seed=3, min_support=5)
    assert enough.by_code.attrs["notes"][1:] == quality.by_code.attrs["notes"][2:]
    # people code w, x, y a and z b; the model codes all four b, never a
    comments = pd.DataFrame({"comment_id": list("wxyz"), "text": ["a", "b", "c", "d"]})
    codings = pd.DataFrame({"comment_id": list("wxyz"), "code_id": ["a", "a", "a", "b"]})
    table = coding_quality(coding_task(comments, codings), np.array([[False, True]] * 4))
    assert _support_notes(table, min_support=2) == [
        "1 code has fewer than 2 comments coded by people, so each comment found or missed "
        "moves its recall by more than 0.50: read its figures as rough (b (1))",
        "the model never applied a: precision is empty and recall 0",
    ]
    with pytest.raises(TooFewCodedError, match="1 coded, 2 folds"):
        suggestion_quality(comments, codings.head(1), folds=2)
    for sizes in ([0, 2], [2.5]):
        with pytest.raises(ValueError, match="sizes must be whole numbers of at least 1"):
            suggestion_quality(comments, codings, sizes=sizes)


def test_learning_curve_finding_says_whether_more_coding_helps() -> None:
    rising = pd.DataFrame({"n_coded": [100, 300, 581], "macro_f1": [0.2, 0.45, 0.6]})
    # 0.15 more macro F1 from 281 more comments: 0.053 per 100, above 0.01
    assert learning_curve_finding(rising) == (
        "More coding still improves the suggestions: macro F1 0.45 from 300 coded comments, "
        "0.60 from 581"
    )
    # the real NHS feedback's last two points (benchmarks/suggest_benchmark.py): 0.010 more
    # from 1,867 more comments, 0.0005 per 100
    flat = pd.DataFrame({"n_coded": [3200, 6400, 8267], "macro_f1": [0.620, 0.658, 0.668]})
    assert learning_curve_finding(flat) == (
        "The suggestions have levelled off: macro F1 0.66 from 6,400 coded comments, "
        "0.67 from 8,267"
    )
    one = pd.DataFrame({"n_coded": [4, 240], "macro_f1": [np.nan, 0.91]})
    assert learning_curve_finding(one) == (
        "The suggestions reach a macro F1 of 0.91 from 240 coded comments"
    )
    none = pd.DataFrame({"n_coded": [4], "macro_f1": [np.nan]})
    assert learning_curve_finding(none) == (
        "Too few coded comments for the suggestion model to learn from"
    )


def test_platt_scaling_matches_a_binomial_glm_on_smoothed_targets() -> None:
    rng = np.random.default_rng(11)
    scores = rng.normal(size=300)
    target = rng.random(300) < 1 / (1 + np.exp(-(2 * scores - 1)))
    slope, intercept = _fit_platt(scores, target)
    # Platt's targets: (N+ + 1) / (N+ + 2) for positives, 1 / (N- + 2) for negatives
    positives, negatives = target.sum(), (~target).sum()
    smoothed = np.where(target, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    design = sm.add_constant(scores)
    reference = sm.GLM(smoothed, design, family=sm.families.Binomial()).fit().params
    np.testing.assert_allclose([intercept, slope], reference, rtol=1e-6)


# --------------------------------------------------------------------------- real NHS feedback


def real_feedback() -> tuple[pd.DataFrame, pd.DataFrame]:
    if not REAL_FEEDBACK.exists():
        pytest.skip(
            f"the real NHS feedback is not here ({REAL_FEEDBACK}); it sits beside the project "
            f"in ../shared/data/real/ on CI and developers' machines, not in a fresh clone"
        )
    data = pd.read_csv(REAL_FEEDBACK, dtype={"row_index": str})
    comments = pd.DataFrame(
        {"comment_id": data["row_index"], "text": data["feedback"], "question": data["question"]}
    )
    codings = pd.DataFrame(
        {"comment_id": data["row_index"], "coder": "coders", "code_id": data["label"]}
    )
    return comments, codings


def test_real_feedback_cross_validation_meets_the_target() -> None:
    comments, codings = real_feedback()
    start = time.perf_counter()
    table = cross_validate_coding(comments, codings, folds=5, seed=0).set_index("code")
    elapsed = time.perf_counter() - start

    assert table.attrs["n_coded"] == 10_334 and len(table) == 9 + 2
    assert table.loc["macro", "f1"] >= 0.64, table
    assert table.loc["overall", "cohen_kappa"] >= 0.67, table
    # training and predicting all five folds, and the whole call, within a minute
    assert table.attrs["seconds"] < 60 and elapsed < 60


def test_real_feedback_probabilities_are_calibrated() -> None:
    comments, codings = real_feedback()
    held_out = comments["comment_id"].astype(int) % 5 == 0  # 2,067 comments left uncoded
    suggestions = suggest_codes(comments, codings[~held_out.to_numpy()], top=9, min_probability=0.0)
    truth = codings.set_index("comment_id")["code_id"]
    suggestions["correct"] = (
        suggestions["code_id"].to_numpy() == truth[suggestions["comment_id"]].to_numpy()
    )
    assert suggestions["comment_id"].nunique() == held_out.sum()

    # reliability: in each tenth of probability, the share of suggestions that are right
    # is close to the mean probability (expected calibration error, Guo et al. 2017)
    bins = pd.cut(suggestions["probability"], np.linspace(0, 1, 11), include_lowest=True)
    grouped = suggestions.groupby(bins, observed=True)
    gap = (grouped["probability"].mean() - grouped["correct"].mean()).abs()
    expected_error = float((gap * grouped.size() / len(suggestions)).sum())
    assert expected_error < 0.02
    top = suggestions[suggestions["rank"] == 1]
    assert abs(top["probability"].mean() - top["correct"].mean()) < 0.05
