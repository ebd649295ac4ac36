"""``python -m analysis import-survey``: a contractor's flat files become a data package.

The flat files are made here by hand: two survey years, the organisation ``RXA`` and two
others (``RXB`` both years, ``RXC`` in 2022 only), one item reworded in 2023 (so it has a
new ``item_id``), a yes/no/don't know scale from a scales file, headcounts for every
organisation, and a column (``email``) that must not reach the package.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.datapackage import load_data_package
from analysis.datapackage.readers import read_parquet_batches
from analysis.pipeline import run_pipeline
from analysis.survey import responses_scan
from analysis.survey.importer import NO_DIRECTORATE, SurveyImportError, import_survey
from analysis.survey.stage import answer_distribution, drivers_outcome, stage_tables

ORG = "RXA"
MINIMUM = 11  # the NHS Staff Survey's minimum group size, given as --minimum-group-size

QUESTIONNAIRE = """item_id,column,year,text,theme,scale,positive_codes,excluded_codes,reverse
recognition,q1,2022,Recognition for good work satisfies me.,Job satisfaction,agree5,4;5,,false
appraisal_had,q2,2022,"In the last 12 months, have you had an appraisal?",Appraisal,yesno,1,,
objectives_clear,q3,2022,Did your appraisal agree clear objectives?,Appraisal,yes_no_dk,1,9,false
time_enough,q4,2022,I have enough time to do my job.,Job satisfaction,agree5,4;5,,false
recognition,q1,2023,Recognition for good work satisfies me.,Job satisfaction,agree5,4;5,,false
appraisal_had,q2,2023,"In the last 12 months, have you had an appraisal?",Appraisal,yesno,1,,
objectives_clear,q3,2023,Did your appraisal agree clear objectives?,Appraisal,yes_no_dk,1,9,false
time_adequate,q4,2023,I have adequate time to do my job properly.,Job satisfaction,agree5,4;5,,false
"""

SCALES = """scale_id,code,label
yes_no_dk,1,Yes
yes_no_dk,2,No
yes_no_dk,9,Don't know
"""

# Answers cycle through these patterns, respondent by respondent (None = blank).
Q1 = [5, 4, 3, 2, None]
Q2 = [1, 2, 1]
Q3 = [1, 9, 2, 1]
Q4 = [4, 2, 5, 3, 1, 4]
GROUPS = [("Community services", "Nursing"), ("Corporate", "Admin")]
RESPONDENTS = {("RXA", 2022): 24, ("RXA", 2023): 26, ("RXB", 2022): 15, ("RXB", 2023): 15}
RESPONDENTS[("RXC", 2022)] = 12


def _responses() -> pd.DataFrame:
    rows = []
    for (org, year), count in RESPONDENTS.items():
        for i in range(count):
            directorate, group = GROUPS[i % 2]
            rows.append(
                {
                    "respondent_id": f"{org}-{year}-{i:03d}",
                    "year": year,
                    "org": org,
                    "directorate": directorate,
                    "occupation": group,
                    "email": f"person{i}@example.nhs.uk",
                    "q1": Q1[i % 5],
                    "q2": Q2[i % 3],
                    "q3": Q3[i % 4],
                    "q4": Q4[i % 6],
                }
            )
    return pd.DataFrame(rows).astype({f"q{n}": "Int64" for n in range(1, 5)})


def _population() -> pd.DataFrame:
    rows = []
    for org, year in RESPONDENTS:
        for number, (directorate, group) in enumerate(GROUPS):
            rows.append((year, org, directorate, group, 40 + 10 * number))
    return pd.DataFrame(rows, columns=["year", "org", "directorate", "occupation", "headcount"])


@pytest.fixture
def flat_files(tmp_path: Path) -> dict[str, Path]:
    """The contractor's files: responses in Windows-1252 (as Excel saves them), the rest UTF-8."""
    folder = tmp_path / "contractor"
    folder.mkdir()
    files = {
        "responses": folder / "responses.csv",
        "questionnaire": folder / "questionnaire.csv",
        "scales": folder / "scales.csv",
        "population": folder / "headcounts.xlsx",
    }
    _responses().to_csv(files["responses"], index=False, encoding="cp1252")
    files["questionnaire"].write_text(QUESTIONNAIRE, encoding="utf-8")
    files["scales"].write_text(SCALES, encoding="utf-8")
    _population().to_excel(files["population"], index=False)
    return files


def _import(files: dict[str, Path], out: Path, **options) -> object:
    arguments = {
        "organisation": ORG,
        "group_columns": ["directorate", "occupation"],
        "staff_group": "occupation",
        "minimum_group_size": MINIMUM,
        "out": out,
        "population": files.get("population"),
        "scales": files.get("scales"),
    }
    return import_survey(files["responses"], files["questionnaire"], **(arguments | options))


def _checksums(files: dict[str, Path]) -> dict[str, str]:
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}


def test_the_command_builds_a_package_that_passes_check(flat_files, tmp_path, capsys):
    before = _checksums(flat_files)
    out = tmp_path / "rxa"
    status = main(
        [
            "import-survey",
            "--responses",
            str(flat_files["responses"]),
            "--questionnaire",
            str(flat_files["questionnaire"]),
            "--population",
            str(flat_files["population"]),
            "--scales",
            str(flat_files["scales"]),
            "--org",
            ORG,
            "--groups",
            "directorate,occupation",
            "--staff-group",
            "occupation",
            "--name",
            "Riverside Community Trust",
            "--minimum-group-size",
            "7",
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert status == 0
    assert "Minimum group size: 7 (minimum_group_size in dataset.yml)" in printed
    assert "\nminimum_group_size: 7\n" in out.joinpath("dataset.yml").read_text(encoding="utf-8")
    assert load_data_package(out).description.minimum_group_size == 7
    assert "respondents 2022: 24, 2023: 26" in printed
    assert "Comparators: 2 other organisation(s)" in printed
    assert "Not copied (neither items nor groups): email" in printed
    assert main(["check", str(out)]) == 0
    assert _checksums(flat_files) == before  # the raw files are only read
    assert sorted(path.name for path in out.iterdir()) == [
        "comparator_profile.csv",
        "comparators.csv",
        "dataset.yml",
        "questionnaire.csv",
        "responses.csv",
        "scales.csv",
        "staff.csv",
    ]
    assert not list(tmp_path.glob(".rxa.partial-*"))


def test_the_package_holds_the_organisation_and_its_comparators(flat_files, tmp_path):
    summary = _import(flat_files, tmp_path / "rxa")
    package = load_data_package(summary.folder)
    description = package.description
    assert description.organisation_code == ORG
    assert description.survey_years == (2022, 2023)
    assert description.group_columns == ("directorate", "staff_group")
    assert description.minimum_group_size == MINIMUM
    assert summary.respondents == {2022: 24, 2023: 26}
    responses = package.responses
    assert set(responses["respondent_id"].str[:3]) == {ORG}
    assert "email" not in responses.columns and "occupation" not in responses.columns
    assert set(responses["staff_group"]) == {"Nursing", "Admin"}

    comparators = package.comparators.set_index(["year", "organisation_code", "item_id"])
    # RXB 2022, q1: 15 respondents cycle through 5, 4, 3, 2, blank, so each 3 times:
    # n = 12 valid answers, n_positive = 6 (the 5s and 4s).
    assert comparators.loc[(2022, "RXB", "recognition"), ["n", "n_positive"]].tolist() == [12, 6]
    # RXC 2022, q3 (yes/no/don't know, 9 excluded): 12 respondents cycle through
    # 1, 9, 2, 1, so 6 yes, 3 no, 3 don't know: n = 9, n_positive = 6.
    assert comparators.loc[(2022, "RXC", "objectives_clear"), ["n", "n_positive"]].tolist() == [
        9,
        6,
    ]
    assert ORG not in set(package.comparators["organisation_code"])
    assert set(
        package.comparators.loc[package.comparators["year"] == 2023, "organisation_code"]
    ) == {"RXB"}

    questionnaire = package.questionnaire.set_index(["year", "item_id"])
    assert questionnaire.loc[(2023, "recognition"), "comparable_with_previous"]
    assert not questionnaire.loc[(2023, "time_adequate"), "comparable_with_previous"]
    assert questionnaire.loc[(2022, "objectives_clear"), "excluded_codes"] == (9,)
    assert sorted(package.scales["scale_id"].unique()) == ["agree5", "yes_no_dk", "yesno"]

    staff = package.staff.set_index(["year", "directorate", "staff_group"])["headcount"]
    assert staff[(2023, "Corporate", "Admin")] == 50
    # The comparators' staff profile adds up RXB and RXC: 40 nurses each in 2022.
    profile = package.comparator_profile.set_index(["year", "staff_group"])["headcount"]
    assert profile[(2022, "Nursing")] == 80
    assert profile[(2023, "Nursing")] == 40


def test_without_population_or_directorate_the_package_counts_respondents(flat_files, tmp_path):
    files = {name: path for name, path in flat_files.items() if name != "population"}
    responses = _responses()
    responses.loc[responses["respondent_id"] == "RXA-2023-000", "occupation"] = None
    responses.to_csv(files["responses"], index=False)
    summary = _import(files, tmp_path / "rxa", group_columns=["occupation"])
    package = load_data_package(summary.folder)
    assert not summary.headcounts_from_population
    assert set(package.responses["directorate"]) == {NO_DIRECTORATE}
    staff = package.staff.set_index(["year", "staff_group"])["headcount"]
    # 26 respondents in 2023 alternate Nursing, Admin (13 each); the first nurse left
    # their staff group blank, so 12 nurses, 13 admin and 1 not stated: 26 in all.
    assert staff.loc[2023].to_dict() == {"Admin": 13, "Not stated": 1, "Nursing": 12}
    assert package.comparator_profile is None


def test_replace_swaps_a_package_only_when_asked(flat_files, tmp_path):
    out = tmp_path / "rxa"
    _import(flat_files, out)
    with pytest.raises(SurveyImportError, match="already exists; choose a new folder"):
        _import(flat_files, out)
    summary = _import(flat_files, out, replace=True)
    assert summary.folder == out and (out / "dataset.yml").is_file()
    with pytest.raises(SurveyImportError, match="is not a data package"):
        _import(flat_files, flat_files["responses"].parent, replace=True)


def _problems(files: dict[str, Path], out: Path, **options) -> list[str]:
    with pytest.raises(SurveyImportError) as caught:
        _import(files, out, **options)
    assert not out.exists()
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("minimum", [0, True, "11"])
def test_a_minimum_group_size_that_is_not_a_whole_number_of_at_least_1(
    flat_files, tmp_path, minimum
):
    assert _problems(flat_files, tmp_path / "out", minimum_group_size=minimum) == [
        "--minimum-group-size: should be a whole number >= 1, the fewest respondents a shown "
        f"figure may be based on (the NHS Staff Survey's own is 11); found {minimum!r}"
    ]


def test_the_command_requires_the_minimum_group_size(flat_files, tmp_path, capsys):
    arguments = ["import-survey", "--org", ORG, "--groups", "directorate,occupation"]
    arguments += ["--staff-group", "occupation", "--out", str(tmp_path / "rxa")]
    for option in ("responses", "questionnaire"):
        arguments += [f"--{option}", str(flat_files[option])]
    with pytest.raises(SystemExit) as exited:
        main(arguments)
    assert exited.value.code == 2
    assert "the following arguments are required: --minimum-group-size" in capsys.readouterr().err
    assert not (tmp_path / "rxa").exists()


def test_an_unknown_scale_names_the_row_and_the_known_scales(flat_files, tmp_path):
    text = QUESTIONNAIRE.replace("Appraisal,yesno,1", "Appraisal,yes_no,1", 1)
    flat_files["questionnaire"].write_text(text, encoding="utf-8")
    assert _problems(flat_files, tmp_path / "out") == [
        "questionnaire.csv, row 3, column 'scale': 'yes_no' is not a known scale; expected one "
        "of agree5, yes_no_dk, yesno (others come from a scales file, --scales)"
    ]


def test_a_questionnaire_column_missing_from_responses(flat_files, tmp_path):
    text = QUESTIONNAIRE.replace("time_adequate,q4,", "time_adequate,q4b,")
    flat_files["questionnaire"].write_text(text, encoding="utf-8")
    assert _problems(flat_files, tmp_path / "out") == [
        "questionnaire.csv, row 9, column 'column': 'q4b' (item 'time_adequate' in 2023) is not "
        "a column of responses.csv; expected the responses column holding this item's answers"
    ]


def test_an_organisation_not_in_the_file(flat_files, tmp_path):
    problems = _problems(flat_files, tmp_path / "out", organisation="RXZ")
    assert problems == [
        "responses.csv, column 'org': no rows for organisation 'RXZ' (--org); expected one of "
        "the codes in this column: 'RXA', 'RXB', 'RXC'"
    ]


def test_a_reworded_item_must_get_a_new_item_id(flat_files, tmp_path):
    text = QUESTIONNAIRE.replace("time_adequate,q4,", "time_enough,q4,")
    flat_files["questionnaire"].write_text(text, encoding="utf-8")
    assert _problems(flat_files, tmp_path / "out") == [
        "questionnaire.csv, row 9, column 'text': item 'time_enough' is worded differently in "
        "2023 than in 2022; a reworded item starts a new series, so expected a new item_id for it"
    ]


def test_answers_outside_the_scale_and_bad_codes_name_their_rows(flat_files, tmp_path):
    responses = _responses().astype({"q1": "object"})
    responses.loc[3, "q1"] = 7  # row 5 of the file (header is row 1)
    responses.loc[4, "q2"] = 9
    responses.loc[5, "q1"] = "agree"
    responses.to_csv(flat_files["responses"], index=False)
    # Answers are checked against the scales only once every cell is a code.
    assert _problems(flat_files, tmp_path / "out") == [
        "responses.csv, row 7, column 'q1': expected a whole-number code, found 'agree'"
    ]
    responses.loc[5, "q1"] = 4
    responses.to_csv(flat_files["responses"], index=False)
    assert _problems(flat_files, tmp_path / "out") == [
        "responses.csv, row 5, column 'q1': code 7 is not in scale 'agree5' of item "
        "'recognition' in 2022; expected one of 1;2;3;4;5 or a blank cell",
        "responses.csv, row 6, column 'q2': code 9 is not in scale 'yesno' of item "
        "'appraisal_had' in 2022; expected one of 1;2 or a blank cell",
    ]


def test_headcounts_below_the_respondents_are_refused(flat_files, tmp_path):
    population = _population()
    population.loc[0, "headcount"] = 5  # RXA 2022 Community services nurses: 12 respondents
    population.to_excel(flat_files["population"], index=False)
    assert _problems(flat_files, tmp_path / "out") == [
        "headcounts.xlsx, row 2, column 'headcount': headcount 5 is less than the 12 "
        "respondents in responses.csv; expected at least as many staff as respondents"
    ]


def test_a_group_column_missing_and_a_redefined_built_in_scale(flat_files, tmp_path):
    flat_files["scales"].write_text(SCALES + "yesno,1,Ja\nyesno,2,Nein\n", encoding="utf-8")
    # A bad scales file or questionnaire is refused before the responses are read.
    assert _problems(flat_files, tmp_path / "out", group_columns=["directorate", "band"]) == [
        "scales.csv, row 5, column 'scale_id': scale 'yesno' is built in and cannot be "
        "redefined; expected it unchanged (1 = Yes, 2 = No), with any further codes (such as "
        "9 = Don't know) added after them, or under another scale_id",
    ]
    flat_files["scales"].write_text(SCALES, encoding="utf-8")
    assert _problems(flat_files, tmp_path / "out", group_columns=["directorate", "band"]) == [
        "responses.csv, column 'band': missing: the file has no column 'band'; expected a "
        "column of text (named in --groups, --staff-group or --directorate)",
    ]


def test_a_bad_questionnaire_is_refused_before_the_responses_are_read(flat_files, tmp_path):
    flat_files["responses"].write_bytes(b"PAR1 not really a Parquet file")
    flat_files["responses"] = flat_files["responses"].rename(
        flat_files["responses"].with_suffix(".parquet")
    )
    text = QUESTIONNAIRE.replace("Appraisal,yesno,1", "Appraisal,yes_no,1", 1)
    flat_files["questionnaire"].write_text(text, encoding="utf-8")
    problems = _problems(flat_files, tmp_path / "out")
    assert len(problems) == 1 and "'yes_no' is not a known scale" in problems[0]


# "Don't know" coded 9 on the built-in agree5 scale, as contractors deliver it: recognition
# (q1) excludes 9 in both years; every 7th respondent answers 9.
DONT_KNOW = QUESTIONNAIRE.replace(
    "satisfies me.,Job satisfaction,agree5,4;5,,", "satisfies me.,Job satisfaction,agree5,4;5,9,"
)


def _with_dont_know(responses: pd.DataFrame) -> pd.DataFrame:
    responses = responses.copy()
    responses.loc[responses.index % 7 == 6, "q1"] = 9
    return responses


def test_dont_know_outside_a_built_in_scale_is_accepted(flat_files, tmp_path):
    flat_files["questionnaire"].write_text(DONT_KNOW, encoding="utf-8")
    _with_dont_know(_responses()).to_csv(flat_files["responses"], index=False)
    package = load_data_package(_import(flat_files, tmp_path / "rxa").folder)
    questionnaire = package.questionnaire.set_index(["year", "item_id"])
    assert questionnaire.loc[(2022, "recognition"), "scale_id"] == "agree5_with_9"
    assert questionnaire.loc[(2022, "appraisal_had"), "scale_id"] == "yesno"
    scale = package.scales[package.scales["scale_id"] == "agree5_with_9"]
    assert scale["code"].tolist() == [1, 2, 3, 4, 5, 9]
    assert scale["label"].iloc[-1] == "Code 9 (excluded)"  # no scales file labels it
    comparators = package.comparators.set_index(["year", "organisation_code", "item_id"])
    # RXB 2022 is index 50-64 (after RXA's 24 + 26); index % 7 == 6 at 55 and 62, its
    # respondents 5 and 12, whose q1 (cycling 5, 4, 3, 2, blank) was 5 and 3. So of the
    # 12 valid answers (6 positive) two become don't know: n = 10, n_positive = 5.
    assert comparators.loc[(2022, "RXB", "recognition"), ["n", "n_positive"]].tolist() == [10, 5]


def test_dont_know_labels_come_from_the_scales_file_or_spss(flat_files, tmp_path):
    flat_files["questionnaire"].write_text(DONT_KNOW, encoding="utf-8")
    extended = SCALES + "".join(
        f"agree5,{code},{label}\n"
        for code, label in enumerate(
            ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree"], start=1
        )
    )
    extended += "agree5,5,Strongly agree\nagree5,9,Don't know\n"
    flat_files["scales"].write_text(extended, encoding="utf-8")
    _with_dont_know(_responses()).to_csv(flat_files["responses"], index=False)
    package = load_data_package(_import(flat_files, tmp_path / "csv").folder)
    labels = package.scales.set_index(["scale_id", "code"])["label"]
    assert labels[("agree5_with_9", 9)] == "Don't know"
    assert labels[("agree5", 5)] == "Strongly agree"

    pyreadstat = pytest.importorskip("pyreadstat")
    flat_files["scales"].write_text(SCALES, encoding="utf-8")
    sav = flat_files["responses"].with_suffix(".sav")
    responses = _with_dont_know(_responses())
    responses = responses.astype({f"q{n}": "float64" for n in range(1, 5)})
    pyreadstat.write_sav(
        responses, sav, variable_value_labels={"q1": {4.0: "Agree", 9.0: "Can't say"}}
    )
    flat_files["responses"] = sav
    package = load_data_package(_import(flat_files, tmp_path / "sav").folder)
    labels = package.scales.set_index(["scale_id", "code"])["label"]
    assert labels[("agree5_with_9", 9)] == "Can't say"
    assert labels[("agree5_with_9", 4)] == "Agree"  # the scale's own points keep their labels


SPSS_LABELS = {
    # q1's point 3 is worded differently from agree5's, so q1 keeps the file's labels.
    "q1": {1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree",
           -9: "Not answered"},
    "q2": {1: "yes", 2: "NO"},  # agree with yesno but for case: yesno is kept
    "q4": {1: "Never", 2: "Rarely", 3: "Sometimes", 4: "Often", 5: "Always"},
}  # fmt: skip


def _contractor_sav(
    responses: pd.DataFrame, path: Path, missing: dict[str, list[float]] | None = None
) -> Path:
    """A contractor-style SPSS file: -9 "Not answered" declared user-missing on q1."""
    pyreadstat = pytest.importorskip("pyreadstat")
    responses = responses.astype({f"q{n}": "float64" for n in range(1, 5)})
    labels = {
        column: {float(code): label for code, label in codes.items()}
        for column, codes in SPSS_LABELS.items()
    }
    pyreadstat.write_sav(
        responses,
        path,
        variable_value_labels=labels,
        missing_ranges=missing or {"q1": [-9.0]},
        compress=path.suffix == ".zsav",
    )
    return path


@pytest.mark.parametrize("suffix", [".sav", ".zsav"])
def test_spss_user_missing_codes_and_value_labels_become_the_scales(
    flat_files, tmp_path, suffix, capsys
):
    responses = _responses()
    responses.loc[responses.index % 7 == 3, "q1"] = -9
    flat_files["responses"] = _contractor_sav(responses, tmp_path / f"responses{suffix}")
    summary = _import(flat_files, tmp_path / "rxa")
    assert summary.user_missing == {"q1": {-9: "Not answered"}}
    assert summary.relabelled_scales == ("agree5_q1_with_-9", "agree5_q4")
    package = load_data_package(summary.folder)
    questionnaire = package.questionnaire.set_index(["year", "item_id"])
    assert questionnaire.loc[(2022, "recognition"), "excluded_codes"] == (-9,)
    assert questionnaire.loc[(2023, "time_adequate"), "scale_id"] == "agree5_q4"
    assert questionnaire.loc[(2023, "appraisal_had"), "scale_id"] == "yesno"
    labels = package.scales.groupby("scale_id")[["code", "label"]].apply(
        lambda scale: dict(zip(scale["code"], scale["label"], strict=True))
    )
    assert labels["agree5_q1_with_-9"] == {**SPSS_LABELS["q1"]}
    assert labels["agree5_q4"] == SPSS_LABELS["q4"]
    # The comparators leave -9 out of n, as SPSS leaves user-missing values out. Reference:
    # pandas on the frame written to the file (RXB 2022, q1 positive 4;5).
    rxb = responses[(responses["org"] == "RXB") & (responses["year"] == 2022)]["q1"]
    valid = rxb[rxb.notna() & (rxb != -9)]
    comparators = package.comparators.set_index(["year", "organisation_code", "item_id"])
    assert comparators.loc[(2022, "RXB", "recognition"), ["n", "n_positive"]].tolist() == [
        len(valid),
        int(valid.isin([4, 5]).sum()),
    ]
    # The report's answer distribution carries the file's labels; -9 is an excluded answer
    # counted among all answers. Reference: pandas on the organisation's 2023 rows.
    distribution = answer_distribution(
        package.responses, package.questionnaire, package.scales, 2023
    )
    shown = distribution[distribution["item_id"] == "time_adequate"]
    assert shown["label"].tolist() == ["Never", "Rarely", "Sometimes", "Often", "Always"]
    own = responses[(responses["org"] == ORG) & (responses["year"] == 2023)]["q1"]
    not_answered = distribution[
        (distribution["item_id"] == "recognition") & (distribution["code"] == -9)
    ].iloc[0]
    assert not_answered["label"] == "Not answered"
    assert pd.isna(not_answered["answer_position"])
    assert not_answered["percent"] == pytest.approx(
        100 * (own == -9).sum() / own.notna().sum(), abs=0.05
    )


def test_a_code_declared_user_missing_cannot_be_positive(flat_files, tmp_path):
    # q3 (objectives_clear, positive code 1) has 1 declared missing in the SPSS file.
    flat_files["responses"] = _contractor_sav(
        _responses(), tmp_path / "responses.sav", {"q3": [1.0]}
    )
    assert _problems(flat_files, tmp_path / "out") == [
        f"questionnaire.csv, row {row}, column 'positive_codes': code(s) 1 of column 'q3' are "
        "declared user-missing in responses.sav; expected positive codes that are answers, "
        "not missing values"
        for row in (4, 8)
    ]


def test_an_excluded_code_cannot_be_positive_nor_a_stray_answer(flat_files, tmp_path):
    text = DONT_KNOW.replace("agree5,4;5,9,false", "agree5,4;5;9,,false", 1)
    flat_files["questionnaire"].write_text(text, encoding="utf-8")
    assert _problems(flat_files, tmp_path / "out") == [
        "questionnaire.csv, row 2, column 'positive_codes': code(s) 9 are not in scale "
        "'agree5'; expected codes among 1;2;3;4;5 (a code outside the scale, such as 9 for "
        "don't know, can only be excluded)"
    ]
    flat_files["questionnaire"].write_text(DONT_KNOW, encoding="utf-8")
    responses = _with_dont_know(_responses())
    responses.loc[6, "q4"] = 9  # q4 does not exclude 9 (row 8 of the file)
    responses.to_csv(flat_files["responses"], index=False)
    assert _problems(flat_files, tmp_path / "out") == [
        "responses.csv, row 8, column 'q4': code 9 is not in scale 'agree5' of item "
        "'time_enough' in 2022; expected one of 1;2;3;4;5 or a blank cell"
    ]


@pytest.mark.pipeline
def test_the_survey_stage_runs_on_the_imported_package(flat_files, tmp_path):
    summary = _import(flat_files, tmp_path / "rxa")
    result = run_pipeline(
        summary.folder,
        year=2023,
        out_dir=tmp_path / "reports",
        stages=["survey"],
        progress=lambda line: None,
    )
    assert result.succeeded
    tables = result.run_dir / "tables" / "survey"
    benchmark = pd.read_csv(tables / "benchmark.csv", encoding="utf-8-sig")
    row = benchmark[(benchmark["year"] == 2022) & (benchmark["item_id"] == "recognition")]
    # 2022, q1 (positive 4;5): RXA's 24 respondents cycle 5, 4, 3, 2, blank: 20 valid, 10
    # positive, 50%; RXB 6 of 12, 50%; RXC's 12 give 5,4,3,2,-,5,4,3,2,-,5,4: 6 of 10, 60%.
    assert row[["n", "pct", "comparators", "worst", "average", "best"]].values.tolist() == [
        [20, 50.0, 2, 50.0, 55.0, 60.0]
    ]
    changes = pd.read_csv(tables / "changes.csv", encoding="utf-8-sig")
    organisation = changes[(changes["group_type"] == "organisation") & (changes["year"] == 2023)]
    # 2023: 26 respondents, 21 valid, 11 positive; the reworded item starts a new series.
    recognition = organisation[organisation["item_id"] == "recognition"].iloc[0]
    assert recognition["pct"] == round(100 * 11 / 21, 1)  # published to 1 decimal
    assert recognition["base_pct"] == 50.0
    assert set(organisation["item_id"]) == {"recognition", "appraisal_had", "objectives_clear"}


NO_OUTCOME = QUESTIONNAIRE.replace("Job satisfaction", "Workload")  # nothing to guess from


@pytest.mark.slow
def test_without_an_outcome_to_guess_the_drivers_are_left_out(flat_files, tmp_path):
    flat_files["questionnaire"].write_text(NO_OUTCOME, encoding="utf-8")
    package = load_data_package(_import(flat_files, tmp_path / "rxa").folder)
    tables = stage_tables(package, 2023)
    assert "drivers" not in tables and drivers_outcome(tables) is None
    assert {"item_scores", "benchmark"} <= set(tables)
    chosen = stage_tables(package, 2023, outcome="Workload")
    assert drivers_outcome(chosen) == "Workload"
    # The outcome's own theme is left out of the predictors: Appraisal is the only theme.
    drivers = chosen["drivers"]
    assert drivers.loc[drivers["predictor_type"] == "theme", "predictor"].tolist() == ["Appraisal"]


@pytest.mark.pipeline
def test_the_survey_report_says_why_it_has_no_drivers(flat_files, tmp_path):
    flat_files["questionnaire"].write_text(NO_OUTCOME, encoding="utf-8")
    summary = _import(flat_files, tmp_path / "rxa")
    result = run_pipeline(
        summary.folder,
        year=2023,
        out_dir=tmp_path / "reports",
        stages=["survey"],
        progress=lambda line: None,
    )
    assert result.succeeded
    report = next(result.run_dir.rglob("*survey*.html")).read_text(encoding="utf-8")
    assert "No key drivers: the questionnaire has no job satisfaction theme" in report
    assert not (result.run_dir / "tables" / "survey" / "drivers.csv").exists()
    chosen = run_pipeline(
        summary.folder,
        year=2023,
        out_dir=tmp_path / "chosen",
        stages=["survey"],
        parameters={"outcome": "Workload"},
        progress=lambda line: None,
    )
    assert chosen.succeeded
    drivers = pd.read_csv(chosen.run_dir / "tables" / "survey" / "drivers.csv")
    assert set(drivers["outcome"]) == {"Workload"}


def test_a_parquet_file_read_in_batches_gives_the_same_package(flat_files, tmp_path, monkeypatch):
    whole = load_data_package(_import(flat_files, tmp_path / "csv").folder)
    monkeypatch.setattr(responses_scan, "BATCH_ROWS", 7)  # 92 rows: 14 batches
    read = []

    def batches(*args, **options):  # record what is read: never the other columns
        read.append(options["columns"])
        return read_parquet_batches(*args, **options)

    monkeypatch.setattr(responses_scan, "read_parquet_batches", batches)
    parquet = flat_files["responses"].with_suffix(".parquet")
    responses = _responses()
    responses.to_parquet(parquet)
    batched = load_data_package(
        _import(flat_files | {"responses": parquet}, tmp_path / "pq").folder
    )
    for name in ("questionnaire", "scales", "staff", "comparators", "comparator_profile"):
        pd.testing.assert_frame_equal(
            getattr(batched, name).reset_index(drop=True),
            getattr(whole, name).reset_index(drop=True),
        )
    pd.testing.assert_frame_equal(
        batched.responses.reset_index(drop=True), whole.responses.reset_index(drop=True)
    )
    assert read == [
        ["year", "org", "respondent_id", "directorate", "occupation", "q1", "q2", "q3", "q4"]
    ]
    # A respondent repeated in another batch, and a bad code in a late batch, name their rows.
    responses.loc[30, ["respondent_id", "year", "org"]] = responses.loc[
        2, ["respondent_id", "year", "org"]
    ].to_numpy()
    responses.loc[80, "q2"] = 7
    responses.to_parquet(parquet)
    assert _problems(flat_files | {"responses": parquet}, tmp_path / "bad") == [
        "responses.parquet, row 82, column 'q2': code 7 is not in scale 'yesno' of item "
        "'appraisal_had' in 2022; expected one of 1;2 or a blank cell",
        "responses.parquet, row 32, column 'respondent_id': this row's respondent_id, year and "
        "org repeat row 4's; expected each respondent_id once within each year and org",
    ]


def test_a_far_away_excluded_code_such_as_999(flat_files, tmp_path):
    flat_files["questionnaire"].write_text(DONT_KNOW.replace(",4;5,9,", ",4;5,999,"), "utf-8")
    responses = _responses()
    responses.loc[responses.index % 7 == 6, "q1"] = 999
    responses.to_csv(flat_files["responses"], index=False)
    package = load_data_package(_import(flat_files, tmp_path / "rxa").folder)
    assert set(package.scales.loc[package.scales["code"] == 999, "scale_id"]) == {"agree5_with_999"}
    comparators = package.comparators.set_index(["year", "organisation_code", "item_id"])
    # As for 9 above: two of RXB's twelve valid 2022 answers (one positive) become 999.
    assert comparators.loc[(2022, "RXB", "recognition"), ["n", "n_positive"]].tolist() == [10, 5]
