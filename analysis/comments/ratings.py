"""Reshape codings into the matrices that agreement statistics read.

A coding table is long: one row per comment, coder and code applied, with a blank code
where the coder read the comment and applied none. Agreement statistics read a
*ratings matrix*: one row per comment (unit), one column per coder, each cell the coder's
value for that comment and missing where the coder did not code it. This module turns the
first into the second; :mod:`analysis.comments.agreement` computes from the second.

As in statsmodels' ``aggregate_raters`` and ``to_table``, reshaping is kept apart from the
statistics so that each statistic accepts one clear input shape:

- :func:`analysis.datapackage.codings.clean_codings` checks a coding table and normalises
  it (every stage reads codings through it);
- :func:`reliability_sample` keeps the comments coded by two or more coders;
- :func:`code_matrices` gives, per code, whether each coder applied it (1.0 / 0.0 / NaN);
- :func:`category_matrix` gives each coder's code for each comment (nominal);
- :func:`category_counts` counts coders per comment and category (Fleiss' table);
- :func:`cross_table` cross-tabulates two coders (Cohen's table).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.datapackage.codings import CODE_SEPARATOR, NO_CODE

__all__ = [
    "reliability_sample",
    "code_matrices",
    "category_matrix",
    "category_counts",
    "cross_table",
]

_KEYS = ["comment_id", "coder"]


def reliability_sample(codings: pd.DataFrame) -> pd.DataFrame:
    """Keep the comments that two or more coders coded.

    A comment coded by one person only carries no information about agreement; in a
    typical study the researcher codes every comment and a supervisor second-codes a
    sample, and agreement is measured on that sample.

    Parameters
    ----------
    codings
        A table as returned by :func:`~analysis.datapackage.codings.clean_codings`.

    Returns
    -------
    pandas.DataFrame
        The rows of ``codings`` whose comment has codings from at least two coders.

    Raises
    ------
    ValueError
        If no comment was coded by two or more coders.
    """
    coders_per_comment = codings.groupby("comment_id")["coder"].transform("nunique")
    sample = codings[coders_per_comment >= 2]
    if sample.empty:
        coders = sorted(codings["coder"].unique().tolist())
        raise ValueError(
            f"no comment was coded by two or more coders (coders found: {coders}); "
            f"agreement needs a sample of comments coded independently by a second coder"
        )
    return sample.reset_index(drop=True)


def code_matrices(
    codings: pd.DataFrame, codes: Sequence[str] | None = None
) -> dict[str, pd.DataFrame]:
    """For each code, whether each coder applied it to each comment.

    Parameters
    ----------
    codings
        A table as returned by :func:`~analysis.datapackage.codings.clean_codings`.
    codes
        The codes to give a matrix for, in this order (for example the codebook's, so that
        a code nobody applied still appears). Default: the codes found in ``codings``,
        sorted.

    Returns
    -------
    dict of str to pandas.DataFrame
        Per code, a ratings matrix: one row per comment (index ``comment_id``), one
        column per coder, 1.0 where the coder applied the code, 0.0 where the coder read
        the comment and did not apply it, NaN where the coder did not code the comment.

    Raises
    ------
    ValueError
        If ``codings`` holds a code that is not in ``codes``.
    """
    found = codings["code"].dropna().unique().tolist()
    codes = sorted(found) if codes is None else [str(code) for code in codes]
    unknown = sorted(set(found) - set(codes))
    if unknown:
        raise ValueError(f"codings use code(s) {unknown} that are not in codes={codes}")

    units, unit_ids = pd.factorize(codings["comment_id"])
    coders, coder_ids = pd.factorize(codings["coder"])
    read = np.zeros((len(unit_ids), len(coder_ids)), dtype=bool)
    read[units, coders] = True
    coded = codings["code"].notna().to_numpy()
    code_index = pd.Index(codes).get_indexer(codings["code"][coded])
    applied = np.zeros((len(unit_ids), len(coder_ids), len(codes)), dtype=bool)
    applied[units[coded], coders[coded], code_index] = True

    index = pd.Index(unit_ids, name="comment_id")
    columns = pd.Index(coder_ids, name="coder")
    return {
        code: pd.DataFrame(np.where(read, applied[:, :, k], np.nan), index=index, columns=columns)
        for k, code in enumerate(codes)
    }


def category_matrix(codings: pd.DataFrame) -> pd.DataFrame:
    """Each coder's code for each comment, as one nominal value.

    Parameters
    ----------
    codings
        A table as returned by :func:`~analysis.datapackage.codings.clean_codings`.

    Returns
    -------
    pandas.DataFrame
        One row per comment (index ``comment_id``), one column per coder. A cell holds the
        code the coder applied; :data:`NO_CODE` where the coder read the comment and
        applied none; the codes joined by :data:`CODE_SEPARATOR` in sorted order where the
        coder applied several (so two coders agree only on the same combination); missing
        where the coder did not code the comment.
    """
    pair_size = codings.groupby(_KEYS)["code"].transform("size")
    single = codings[pair_size == 1].assign(code=lambda table: table["code"].fillna(NO_CODE))
    several = (
        codings[pair_size > 1]
        .sort_values("code")
        .groupby(_KEYS, as_index=False, sort=False)["code"]
        .agg(CODE_SEPARATOR.join)
    )
    values = pd.concat([single, several], ignore_index=True)

    units, unit_ids = pd.factorize(values["comment_id"], sort=True)
    coders, coder_ids = pd.factorize(values["coder"], sort=True)
    cells = np.full((len(unit_ids), len(coder_ids)), None, dtype=object)
    cells[units, coders] = values["code"].to_numpy(dtype=object)
    return pd.DataFrame(
        cells,
        index=pd.Index(unit_ids, name="comment_id"),
        columns=pd.Index(coder_ids, name="coder"),
        dtype=object,
    )


def _rating_array(ratings: pd.DataFrame | np.ndarray | Sequence[Sequence[object]]) -> np.ndarray:
    array = np.asarray(ratings.to_numpy() if isinstance(ratings, pd.DataFrame) else ratings)
    if array.ndim != 2:
        raise ValueError(
            f"ratings must be a units x coders matrix (2-D: one row per comment, one column "
            f"per coder); got {array.ndim}-D input"
        )
    if array.shape[0] == 0 or array.shape[1] < 2:
        raise ValueError(
            f"ratings must have at least one comment and two coders (columns); got shape "
            f"{array.shape}"
        )
    return array


def _categorise(
    ratings: pd.DataFrame | np.ndarray | Sequence[Sequence[object]],
    categories: Sequence[object] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Category index per cell (-1 where missing) and the categories, in order."""
    array = _rating_array(ratings)
    if array.dtype.kind in "biuf":
        flat = pd.Series(array.ravel(), dtype=float)
    else:
        flat = pd.Series(array.ravel(), dtype=object).where(pd.notna(array.ravel()))
    if categories is None:
        try:
            index, found = pd.factorize(flat, sort=True)
        except TypeError:
            index, found = pd.factorize(flat)
        return index.reshape(array.shape), np.asarray(found, dtype=object)
    known = pd.Index(list(categories))
    if known.has_duplicates:
        raise ValueError(f"categories repeat a value: {list(categories)}")
    index = known.get_indexer(flat)
    outside = (index == -1) & flat.notna().to_numpy()
    if outside.any():
        raise ValueError(
            f"ratings hold value(s) {sorted(map(str, set(flat[outside])))} that are not in "
            f"categories={list(categories)}"
        )
    return index.reshape(array.shape), np.asarray(known, dtype=object)


def category_counts(
    ratings: pd.DataFrame | np.ndarray | Sequence[Sequence[object]],
    categories: Sequence[object] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Count, for each comment, how many coders chose each category.

    The subjects x categories table of Fleiss (1971), as statsmodels'
    ``aggregate_raters`` builds it, but with missing ratings allowed.

    Parameters
    ----------
    ratings
        Units x coders matrix (one row per comment, one column per coder); NaN or None
        where a coder did not code the comment.
    categories
        Every possible category, in order. Default: the values found, sorted where they
        can be.

    Returns
    -------
    counts : numpy.ndarray
        Integer array, units x categories: ``counts[i, k]`` coders put comment ``i`` in
        category ``k``. A row sums to the number of coders who coded that comment.
    categories : numpy.ndarray
        The categories, in the order of the columns of ``counts``.

    Examples
    --------
    >>> counts, categories = category_counts([[1, 1, 2], [2, 2, None]])
    >>> counts.tolist(), categories.tolist()
    ([[2, 1], [0, 2]], [1, 2])
    """
    index, found = _categorise(ratings, categories)
    units = np.repeat(np.arange(index.shape[0]), index.shape[1])
    rated = index.ravel() >= 0
    counts = np.zeros((index.shape[0], len(found)), dtype=np.int64)
    np.add.at(counts, (units[rated], index.ravel()[rated]), 1)
    return counts, found


def cross_table(
    ratings: pd.DataFrame | np.ndarray | Sequence[Sequence[object]],
    categories: Sequence[object] | None = None,
) -> pd.DataFrame:
    """Cross-tabulate two coders over the comments both coded.

    The categories x categories table of Cohen (1960), as statsmodels' ``to_table``
    builds it; comments either coder left uncoded are left out.

    Parameters
    ----------
    ratings
        Units x 2 matrix: one row per comment, one column per coder; NaN or None where a
        coder did not code the comment.
    categories
        Every possible category, in order. Default: the values found, sorted where they
        can be.

    Returns
    -------
    pandas.DataFrame
        Counts: rows are the first coder's categories, columns the second coder's.

    Raises
    ------
    ValueError
        If ``ratings`` does not have exactly two columns.

    Examples
    --------
    >>> cross_table([[0, 0], [0, 1], [1, 1], [1, None]]).to_numpy().tolist()
    [[1, 1], [0, 1]]
    """
    array = _rating_array(ratings)
    if array.shape[1] != 2:
        raise ValueError(
            f"a cross table compares exactly two coders; ratings have {array.shape[1]} "
            f"columns (coders)"
        )
    index, found = _categorise(array, categories)
    both = (index >= 0).all(axis=1)
    table = np.zeros((len(found), len(found)), dtype=np.int64)
    np.add.at(table, (index[both, 0], index[both, 1]), 1)
    names = list(ratings.columns) if isinstance(ratings, pd.DataFrame) else ["coder 1", "coder 2"]
    return pd.DataFrame(
        table,
        index=pd.Index(found, name=str(names[0])),
        columns=pd.Index(found, name=str(names[1])),
    )
