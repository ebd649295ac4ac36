"""How often each code was raised, by year and group, and how it links to the survey scores.

The analysis reads one coding per comment (:func:`coded_comments`): the people's coding
(:func:`analysis.datapackage.codings.codings_for_analysis`, reconciled codes where there are
any, else the primary coder's) and, optionally, for comments nobody has coded yet, the
codes whose keyword hints in the codebook appear in the text (:func:`keyword_codings`),
marked with their own ``source`` so that a report says how much rests on them.

- :func:`code_frequencies`: comments and respondents raising each code, per year and per
  group of each group column (comments joined to responses on respondent and year);
- :func:`change_in_share`: the change in a code's share of commenting respondents between
  two years, with a two-proportion z-test;
- :func:`code_cooccurrence`: respondents who raised each pair of codes;
- :func:`code_vs_scores`: the scores of respondents who raised a code, on the survey themes
  and items the codebook links it to (:func:`linked_survey_scores`), against those of every
  other respondent that year.

Every count here is of people; the tables are made for the disclosure gate
(:class:`analysis.publishing.StageOutput`) with the column to gate on named in each
function's docstring.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis.datapackage.codebook import Codebook
from analysis.datapackage.codings import codings_for_analysis, with_respondents
from analysis.datapackage.groups import ORGANISATION, group_labels
from analysis.datapackage.respondents import respondent_item_scores, respondent_themes
from analysis.disclosure.derived import carry_mark
from analysis.disclosure.survey import suppress_breakdowns
from analysis.stats import adjust_p_values, two_proportion_test

__all__ = [
    "KEYWORD_CODER",
    "ALL_STAFF",
    "keyword_codings",
    "coded_comments",
    "code_frequencies",
    "suppress_code_frequencies",
    "change_in_share",
    "code_cooccurrence",
    "code_vs_scores",
    "linked_survey_scores",
]

KEYWORD_CODER = "keywords"
"""The ``source`` of codes found from the codebook's keyword hints, not by a person."""

ALL_STAFF = "All staff"
"""The ``group`` of the rows of :func:`code_frequencies` that cover every respondent."""


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """Whole-word pattern; a keyword in capitals (``IT``, ``EPR``) must match its case."""
    parts = [
        f"(?-i:{re.escape(word)})" if word.isupper() else re.escape(word)
        for word in keywords
        if word.strip()
    ]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE) if parts else None


def keyword_codings(
    comments: pd.DataFrame, codebook: Codebook, coder: str = KEYWORD_CODER
) -> pd.DataFrame:
    """Code comments by the keyword hints of the codebook: a rough coder, not a person.

    Parameters
    ----------
    comments
        Columns ``comment_id`` and ``text``.
    codebook
        Its codable codes' ``keywords`` are searched as whole words, ignoring case except
        for keywords written in capitals (``IT`` is not the word "it").
    coder
        The name these codings are recorded under.

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``coder`` and ``code_id``, one row per comment and code
        found, a blank ``code_id`` where no keyword appears (as the data package's
        ``codings`` table, so :func:`analysis.comments.agreement` can compare it with a
        person's coding).

    Examples
    --------
    >>> from analysis.datapackage.codebook import parse_codebook
    >>> book = parse_codebook('''
    ... - id: RES
    ...   label: Resources
    ...   codes:
    ...     - {id: it_systems, label: IT, keywords: [IT, computer]}
    ... ''')
    >>> keyword_codings(pd.DataFrame({"comment_id": ["c1", "c2"],
    ...     "text": ["The IT is slow", "it is fine"]}), book)["code_id"].tolist()
    ['it_systems', <NA>]
    """
    for column in ("comment_id", "text"):
        if column not in comments.columns:
            raise ValueError(f"comments need a {column!r} column; found {list(comments.columns)}")
    patterns = {
        code.id: pattern
        for code in codebook
        if code.codable and (pattern := _keyword_pattern(code.keywords)) is not None
    }
    rows = []
    for comment_id, text in zip(comments["comment_id"], comments["text"].fillna(""), strict=True):
        found = [code_id for code_id, pattern in patterns.items() if pattern.search(str(text))]
        rows.extend((str(comment_id), coder, code_id) for code_id in found or [None])
    return pd.DataFrame(rows, columns=["comment_id", "coder", "code_id"], dtype="string")


def coded_comments(
    comments: pd.DataFrame,
    codings: pd.DataFrame,
    primary_coder: str,
    keyword_codebook: Codebook | None = None,
) -> pd.DataFrame:
    """The coding the analysis counts: one row per comment and code, with who coded it.

    Without ``keyword_codebook`` it is :func:`analysis.datapackage.codings.coded_comments`,
    the coding the interventions stage counts too; keyword hints are this stage's own.

    Parameters
    ----------
    comments
        The data package's ``comments`` table (``comment_id``, ``respondent_id``, ``year``,
        ``text``).
    codings
        Every coder's codings (``comment_id``, ``coder``, ``code_id``), as the data
        package's ``codings`` table and :func:`analysis.datapackage.coding_logs.load_codings`.
    primary_coder
        The coder whose codes count where no reconciled coding exists.
    keyword_codebook
        When given, comments that neither the primary coder nor a reconciliation coded
        get the codes of :func:`keyword_codings`; otherwise they are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``comment_id``, ``respondent_id``, ``year``, ``code_id`` (blank where the
        comment was read and given no code) and ``source`` (the coder, ``reconciled`` or
        :data:`KEYWORD_CODER`), sorted by comment and code.

    Raises
    ------
    ValueError
        If ``primary_coder`` coded nothing, or a coded comment is not in ``comments``.
    """
    people = codings_for_analysis(codings, primary_coder)
    if keyword_codebook is None:
        return with_respondents(people, comments)
    uncoded = comments[~comments["comment_id"].astype("string").isin(people["comment_id"])]
    guessed = keyword_codings(uncoded, keyword_codebook).rename(columns={"coder": "source"})
    return with_respondents(pd.concat([people, guessed], ignore_index=True), comments)


def _with_groups(
    coded: pd.DataFrame, responses: pd.DataFrame, group_columns: Sequence[str]
) -> pd.DataFrame:
    if not group_columns:
        return coded
    groups = responses[["respondent_id", "year", *group_columns]].copy()
    groups["respondent_id"] = groups["respondent_id"].astype("string")
    for column in group_columns:
        groups[column] = group_labels(groups[column])
    joined = coded.merge(groups, on=["respondent_id", "year"], how="left", indicator=True)
    missing = joined["_merge"] != "both"
    if missing.any():
        example = joined.loc[missing, ["comment_id", "respondent_id", "year"]].head(3)
        raise ValueError(
            f"{int(missing.sum())} coded comment(s) have no matching respondent in responses "
            f"(respondent_id and year), e.g. {example.to_dict('records')}"
        )
    return joined.drop(columns="_merge")


def code_frequencies(
    coded: pd.DataFrame,
    responses: pd.DataFrame,
    codes: Sequence[str],
    group_columns: Sequence[str] = (),
    group_year: int | None = None,
    labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Comments and respondents raising each code, per year and per group.

    Parameters
    ----------
    coded
        From :func:`coded_comments`.
    responses
        The data package's ``responses`` (for the group columns).
    codes
        The codes to count, in the order to show them (a code nobody raised gets zeros).
    group_columns
        Respondent columns to break the counts down by (blank = ``Not stated``).
    group_year
        The year of the group breakdowns (default: every year).
    labels
        Code id to label, for the ``label`` column (default: the id).

    Returns
    -------
    pandas.DataFrame
        One row per breakdown, group, year and code: ``breakdown`` (``all`` or a group
        column), ``group`` (:data:`ALL_STAFF` or the group), ``year``, ``code_id``,
        ``label``, ``commenters`` (respondents in that group and year with a coded
        comment: the count the gate reads), ``respondents`` (of them, those who raised the
        code), ``comments`` (comments carrying the code) and ``percent`` (respondents /
        commenters x 100). Every group with commenters has a row for every code, so each
        breakdown is a complete partition of the ``all`` rows.

    Notes
    -----
    Publish through :func:`suppress_code_frequencies`, then ``out.table(..., gated=True,
    count="commenters", dimensions=["group"], for_each=["breakdown", "year", "code_id"],
    labels=["label"])`` (the columns say which cells stay visible in hidden rows):
    as in the NHS staff survey, a share is shown where the group it is a share of has at
    least the minimum number of respondents, and each breakdown is gated with the ``all``
    row it adds up to.
    """
    if not len(codes):
        raise ValueError("give at least one code to count (e.g. the codebook's codable codes)")
    labels = labels or {}
    frame = _with_groups(coded, responses, group_columns)
    breakdowns = [("all", None)] + [(column, column) for column in group_columns]
    parts = []
    for breakdown, column in breakdowns:
        rows = frame if column is None or group_year is None else frame[frame["year"] == group_year]
        group = rows[column] if column else pd.Series(ALL_STAFF, index=rows.index)
        keyed = rows.assign(group=group.astype("str"))
        commenters = keyed.groupby(["group", "year"])["respondent_id"].nunique()
        raised = keyed.dropna(subset=["code_id"])
        per_code = raised.groupby(["group", "year", "code_id"]).agg(
            respondents=("respondent_id", "nunique"), comments=("comment_id", "nunique")
        )
        grid = pd.MultiIndex.from_tuples(
            [(g, y, c) for (g, y) in commenters.index for c in codes],
            names=["group", "year", "code_id"],
        )
        table = per_code.reindex(grid, fill_value=0).reset_index()
        table["commenters"] = commenters.reindex(
            pd.MultiIndex.from_frame(table[["group", "year"]])
        ).to_numpy()
        table.insert(0, "breakdown", breakdown)
        parts.append(table)
    result = pd.concat(parts, ignore_index=True)
    result["label"] = result["code_id"].map(lambda code: labels.get(code, code))
    result["percent"] = 100.0 * result["respondents"] / result["commenters"]
    columns = ["breakdown", "group", "year", "code_id", "label", "commenters"]
    columns += ["respondents", "comments", "percent"]
    result = result[columns].astype({"year": "int64", "commenters": "int64"})
    return result.astype({"respondents": "int64", "comments": "int64"})


def suppress_code_frequencies(frequencies: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Pass :func:`code_frequencies` through the gate, each breakdown with its total.

    Each breakdown's groups add up to the ``all`` row of the same year and code, so a
    reader can subtract: the hidden groups' commenters, and the respondents among them who
    raised the code, are the ``all`` row's minus the shown groups'. Gating each breakdown
    alone (``suppress_small_groups`` with ``for_each=["breakdown", ...]``) let that rest be
    0: on the demo, plain subtraction showed hidden groups raising a code 0 times. Here the
    breakdowns are gated with their total by
    :func:`analysis.disclosure.survey.suppress_breakdowns`, with ``respondents`` as the
    answers: every line's hidden cells hold at least the minimum of commenters and at least
    the protection level of respondents raising the code and of those not raising it
    (``docs/disclosure.md``, rules 3 and 4). A group's commenters are the same figure on
    every code's row, so a group is hidden under every code or under none
    (``same_across``).

    A year and code whose ``all`` row has no breakdown beside it (a year before the one the
    groups are counted for, ``code_frequencies(group_year=...)``) is gated on its own: no
    groups add up to that row, so there is no line to protect it along, only the minimum.
    Gated with the breakdowns' rows, the gate took its row for a line of one cell, a total
    it cannot protect, and warned (a :class:`~analysis.disclosure.DisclosureWarning` the
    test suite turns into an error).

    Parameters
    ----------
    frequencies
        From :func:`code_frequencies`.
    minimum
        The minimum group size (the data package's ``minimum_group_size``).

    Returns
    -------
    pandas.DataFrame
        The same rows and columns, figures of hidden rows blanked (``commenters``,
        ``respondents``, ``comments``, ``percent``), with ``suppressed`` and
        ``suppression``, marked by the gate: publish with ``gated=True`` and the columns of
        :func:`code_frequencies`'s notes.
    """
    table = frequencies.rename(columns={"breakdown": "group_type"})
    table["group_type"] = table["group_type"].replace({"all": ORGANISATION})
    broken_down = (
        (table["group_type"] != ORGANISATION).groupby([table["year"], table["code_id"]])
    ).transform("any")
    parts = [rows for rows in (broken_down, ~broken_down) if rows.any()] or [broken_down]
    gated = pd.concat(  # each part carries the gate's mark, and so does their union
        suppress_breakdowns(
            table[rows],
            count="commenters",
            for_each=["year", "code_id"],
            labels=["label"],
            answers=["respondents"],
            minimum=minimum,
            same_across=["code_id"],
        )
        for rows in parts
    ).loc[table.index]
    result = gated.rename(columns={"group_type": "breakdown"})  # keeps the gate's mark
    result["breakdown"] = result["breakdown"].replace({ORGANISATION: "all"})
    return result


def change_in_share(frequencies: pd.DataFrame, from_year: int, to_year: int) -> pd.DataFrame:
    """The change in each code's share of commenting respondents between two years.

    Parameters
    ----------
    frequencies
        The ``all`` rows of :func:`code_frequencies` after the disclosure gate (with its
        ``suppressed`` column) or before it.
    from_year, to_year
        The years compared.

    Returns
    -------
    pandas.DataFrame
        One row per code: ``code_id``, ``label``, ``percent_from``, ``percent_to``,
        ``change`` (percentage points), ``p_value`` (two-sided z-test with pooled variance,
        R's ``prop.test(correct = FALSE)``), ``p_value_holm`` (Holm-adjusted across the
        codes) and ``suppressed`` (either year's figure is suppressed; then every figure of
        the row is missing, so nothing hidden is revealed).
    """
    rows = frequencies[frequencies["breakdown"] == "all"]
    years = set(rows["year"])
    for year in (from_year, to_year):
        if year not in years:
            raise ValueError(f"no code frequencies for {year}; years are {sorted(years)}")
    hidden = rows["suppressed"] if "suppressed" in rows else pd.Series(False, index=rows.index)
    rows = rows.assign(hidden=hidden.astype(bool))
    first = rows[rows["year"] == from_year].set_index("code_id")
    second = rows[rows["year"] == to_year].set_index("code_id").reindex(first.index)
    suppressed = (first["hidden"] | second["hidden"]).to_numpy()
    x1 = second["respondents"].astype("float64").to_numpy()
    n1 = second["commenters"].astype("float64").to_numpy()
    x2 = first["respondents"].astype("float64").to_numpy()
    n2 = first["commenters"].astype("float64").to_numpy()
    shown = ~suppressed
    change = np.full(len(first), np.nan)
    p_value = np.full(len(first), np.nan)
    if shown.any():
        change[shown], _, p_value[shown] = two_proportion_test(
            x1[shown], n1[shown], x2[shown], n2[shown]
        )
    table = pd.DataFrame(
        {
            "code_id": first.index.astype("str"),
            "label": first["label"].to_numpy(),
            "percent_from": np.where(shown, 100.0 * x2 / n2, np.nan),
            "percent_to": np.where(shown, 100.0 * x1 / n1, np.nan),
            "change": change,
            "p_value": p_value,
        }
    )
    table["p_value_holm"] = adjust_p_values(table["p_value"].to_numpy(), "holm")
    table["suppressed"] = suppressed
    return carry_mark(table, frequencies)


def code_cooccurrence(coded: pd.DataFrame, codes: Sequence[str], year: int) -> pd.DataFrame:
    """Respondents whose comments raised both codes of each pair, in one year.

    Parameters
    ----------
    coded
        From :func:`coded_comments`.
    codes
        The codes, in order; pairs are taken in this order (``code_a`` before ``code_b``),
        and the diagonal (a code with itself) holds the respondents raising the code.
    year
        The survey year.

    Returns
    -------
    pandas.DataFrame
        ``code_a``, ``code_b``, ``commenters`` (respondents with a coded comment that
        year: the count the gate reads), ``respondents`` (raised both) and ``percent``
        (of commenters). Publish with ``count="commenters"``,
        ``for_each=["code_a", "code_b"]``.
    """
    rows = coded[(coded["year"] == year)]
    if rows.empty:
        raise ValueError(f"no coded comments in {year}")
    commenters = rows["respondent_id"].nunique()
    raised = rows.dropna(subset=["code_id"])
    matrix = pd.crosstab(raised["respondent_id"], raised["code_id"]).clip(upper=1)
    matrix = matrix.reindex(columns=list(codes), fill_value=0)
    both = matrix.T @ matrix
    records = [
        (a, b, commenters, int(both.loc[a, b]))
        for i, a in enumerate(codes)
        for b in list(codes)[i:]
    ]
    table = pd.DataFrame(records, columns=["code_a", "code_b", "commenters", "respondents"])
    table["percent"] = 100.0 * table["respondents"] / commenters
    return table


def linked_survey_scores(
    responses: pd.DataFrame,
    questionnaire: pd.DataFrame,
    scales: pd.DataFrame,
    codebook: Codebook,
    year: int,
) -> pd.DataFrame:
    """Every respondent's 0-10 score on each survey theme and item the codebook links to.

    Parameters
    ----------
    responses, questionnaire, scales
        The data package's tables.
    codebook
        Its codes' ``survey_themes`` and ``survey_items`` say which themes and items.
    year
        The survey year.

    Returns
    -------
    pandas.DataFrame
        ``respondent_id``, ``link`` (``theme`` or ``item``), ``measure`` (the theme name or
        the ``item_id``) and ``score``: an item scores a valid answer's position ``r`` of
        ``K`` as ``10 (r - 1)/(K - 1)`` in the positive direction, and a theme is the mean
        of the respondent's item scores
        (:func:`analysis.survey.themes.respondent_item_scores`,
        :func:`analysis.survey.themes.respondent_themes`, as the NHS staff survey's 0-10
        theme scores). Missing scores are left out, and so are links not asked in
        ``year``.
    """
    themes = {theme for code in codebook for theme in code.survey_themes}
    items = {item for code in codebook for item in code.survey_items}
    asked = questionnaire[questionnaire["year"] == year]
    rows = responses[responses["year"] == year]
    parts = []
    if themes:
        scored = respondent_themes(rows, asked, scales, group_columns=["respondent_id"])
        scored = scored[scored["theme"].astype("str").isin(themes)]
        parts.append(
            pd.DataFrame(
                {
                    "respondent_id": scored["respondent_id"].astype("str").to_numpy(),
                    "link": "theme",
                    "measure": scored["theme"].astype("str").to_numpy(),
                    "score": scored["score"].to_numpy(dtype=float),
                }
            )
        )
    if items:
        wide = respondent_item_scores(rows, asked, scales, year)
        wide = wide[[item for item in wide.columns if item in items]]
        wide.insert(0, "respondent_id", rows.loc[wide.index, "respondent_id"].astype("str"))
        long = wide.melt(id_vars="respondent_id", var_name="measure", value_name="score")
        parts.append(long.assign(link="item")[["respondent_id", "link", "measure", "score"]])
    columns = ["respondent_id", "link", "measure", "score"]
    if not parts:
        return pd.DataFrame(columns=columns)
    table = pd.concat(parts, ignore_index=True).dropna(subset=["score"])
    return table[columns].reset_index(drop=True)


def code_vs_scores(
    coded: pd.DataFrame,
    survey_scores: pd.DataFrame,
    codebook: Codebook,
    year: int,
    minimum: int,
) -> pd.DataFrame:
    """Survey scores of respondents who raised each code against every other respondent.

    Each code is compared only on the survey themes and items that the codebook links it
    to (its ``survey_themes`` and ``survey_items``): the link from what staff wrote to the
    numbers is stated by the researcher, not searched for among every theme.

    Parameters
    ----------
    coded
        From :func:`coded_comments`.
    survey_scores
        From :func:`linked_survey_scores` for ``year``: ``respondent_id``, ``link``,
        ``measure`` and ``score``.
    codebook
        The codebook: each codable code's links, and its label.
    year
        The survey year.
    minimum
        The minimum group size: a test is made only where both groups have at least this
        many respondents (the others are suppressed when published, and are left out of
        the Holm adjustment so that it counts only the tests readers see).

    Returns
    -------
    pandas.DataFrame
        One row per code and linked measure, in codebook order, themes before items:
        ``code_id``, ``label``, ``link`` (``theme`` or ``item``), ``measure`` (the theme
        or the ``item_id``), ``respondents_with_code`` (with a score: the count the gate
        reads; publish with ``count="respondents_with_code"``,
        ``for_each=["code_id", "link", "measure"]``), ``respondents_without_code``,
        ``score_with_code``, ``score_without_code`` (mean 0-10 scores), ``difference``
        (with minus without), ``p_value`` (Welch's t-test, R's
        ``t.test(var.equal = FALSE)``) and ``p_value_holm`` (Holm-adjusted over the rows).
        ``result.attrs["notes"]`` names the codes with no link and the links with no
        score in ``year``.

    Notes
    -----
    "Without" is every other respondent of the year with a score, commenting or not. A
    difference says who writes about a topic, not that the topic causes the score.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when several
       different population variances are involved. *Biometrika*, 34(1/2), 28-35.
    .. [2] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics*, 6(2), 65-70.
    """
    raised = coded[(coded["year"] == year)].dropna(subset=["code_id"])
    by_code = raised.groupby("code_id")["respondent_id"].agg(lambda ids: set(map(str, ids)))
    scores = survey_scores.assign(respondent_id=survey_scores["respondent_id"].astype("str"))
    groups = {key: rows for key, rows in scores.groupby(["link", "measure"], sort=False)}
    records, unlinked, unscored = [], [], []
    for code in codebook:
        if not code.codable:
            continue
        links = [("theme", t) for t in code.survey_themes] + [
            ("item", i) for i in code.survey_items
        ]
        if not links:
            unlinked.append(code.id)
        for link, measure in links:
            rows = groups.get((link, measure))
            if rows is None:
                unscored.append(f"{code.id} ({link} {measure})")
                continue
            values = rows["score"].to_numpy(dtype=float)
            mask = rows["respondent_id"].isin(by_code.get(code.id, set())).to_numpy()
            records.append((code.id, code.label, link, measure, *_welch(values, mask, minimum)))
    columns = ["code_id", "label", "link", "measure", "respondents_with_code"]
    columns += ["respondents_without_code", "score_with_code", "score_without_code"]
    columns += ["difference", "p_value"]
    table = pd.DataFrame(records, columns=columns).astype(
        {"respondents_with_code": "int64", "respondents_without_code": "int64"}
        | {name: "float64" for name in columns[6:]}
    )
    table["p_value_holm"] = adjust_p_values(table["p_value"].to_numpy(dtype=float), "holm")
    notes = []
    if unlinked:
        notes.append(f"codes with no survey theme or item in the codebook: {', '.join(unlinked)}")
    if unscored:
        notes.append(f"linked themes or items with no scores in {year}: {'; '.join(unscored)}")
    table.attrs["notes"] = notes
    return table


def _welch(values: np.ndarray, mask: np.ndarray, minimum: int) -> tuple:
    """Counts, means, difference and Welch's p-value of ``values[mask]`` against the rest."""
    with_code, without = values[mask], values[~mask]
    p_value = np.nan
    testable = min(len(with_code), len(without)) >= max(minimum, 2)
    if testable and (with_code.std() > 0 or without.std() > 0):
        with warnings.catch_warnings():  # a group all at the ceiling has no variance
            warnings.simplefilter("ignore", RuntimeWarning)
            p_value = float(stats.ttest_ind(with_code, without, equal_var=False).pvalue)
    mean_with = float(with_code.mean()) if len(with_code) else np.nan
    mean_without = float(without.mean()) if len(without) else np.nan
    return (
        int(mask.sum()),
        int((~mask).sum()),
        mean_with,
        mean_without,
        mean_with - mean_without,
        p_value,
    )
