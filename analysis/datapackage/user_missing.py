"""SPSS user-missing codes in ``responses``: honoured as the items' excluded codes.

A contractor's SPSS file often codes "not answered" as ``-9`` and declares it user-missing
(``MISSING VALUES q1 TO q20 (-9)``), with a value label. SPSS leaves such codes out of every
statistic; so does the suite once they are excluded codes of the items
(``questionnaire.excluded_codes``) and codes of their scales (``scales``, with the file's
label). Without this, every ``-9`` would be a code outside its scale: one problem per
answer.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["honour_user_missing"]


def honour_user_missing(
    tables: dict[str, pd.DataFrame], declared: dict[str, dict[int, str]]
) -> dict[str, pd.DataFrame]:
    """Add the codes ``responses`` declares user-missing to its items and their scales.

    Parameters
    ----------
    tables
        The converted tables (``questionnaire`` and ``scales`` are updated when present).
    declared
        Per ``responses`` column, ``{code: label}`` of its user-missing codes, from
        :func:`analysis.datapackage.readers.declared_missing_codes`.

    Returns
    -------
    dict of str to pandas.DataFrame
        The tables, with every questionnaire row whose ``column`` declares codes listing
        them in ``excluded_codes``, and every scale of those rows holding each code (with
        the file's label) unless it holds that code already. Other tables are unchanged.
    """
    questionnaire, scales = tables.get("questionnaire"), tables.get("scales")
    needed = {"column", "scale_id", "excluded_codes"}
    if not declared or questionnaire is None or not needed <= set(questionnaire.columns):
        return tables
    questionnaire = questionnaire.copy()
    listed = questionnaire["column"].isin(list(declared))
    questionnaire["excluded_codes"] = pd.Series(
        [
            tuple(sorted({*codes, *declared[column]})) if column in declared else codes
            for column, codes in zip(
                questionnaire["column"], questionnaire["excluded_codes"], strict=True
            )
        ],
        index=questionnaire.index,
        dtype=object,
    )
    updated = {**tables, "questionnaire": questionnaire}
    if scales is None or not {"scale_id", "code", "label"} <= set(scales.columns):
        return updated
    have = set(zip(scales["scale_id"], scales["code"], strict=True))
    added = {}
    for column, scale_id in zip(
        questionnaire.loc[listed, "column"], questionnaire.loc[listed, "scale_id"], strict=True
    ):
        for code, label in declared[column].items():
            if pd.notna(scale_id) and (scale_id, code) not in have:
                added.setdefault((scale_id, code), label)
    if added:
        start = int(scales.index.max()) + 1 if len(scales) else 0
        extra = pd.DataFrame(
            [{"scale_id": s, "code": c, "label": label} for (s, c), label in added.items()],
            index=pd.RangeIndex(start, start + len(added)),
        ).astype({"scale_id": scales["scale_id"].dtype, "code": scales["code"].dtype})
        updated["scales"] = pd.concat([scales, extra.astype({"label": scales["label"].dtype})])
    return updated
