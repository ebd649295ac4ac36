"""The comments stage: qualitative coding of what staff wrote.

Inter-coder agreement lives in :mod:`analysis.comments.agreement`, the reshaping of
codings into ratings matrices in :mod:`analysis.comments.ratings`.
"""

from analysis.comments.agreement import (
    agreement,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from analysis.comments.ratings import category_counts, cross_table

__all__ = [
    "agreement",
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
    "category_counts",
    "cross_table",
]
