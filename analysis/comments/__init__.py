"""The comments stage: qualitative coding of what staff wrote.

- :mod:`analysis.datapackage.codebook`: the codebook (YAML, REFI-QDA ``.qdc``, CSV);
- :mod:`analysis.datapackage.coding_logs`: the append-only coding logs, one per coder;
- :mod:`analysis.comments.reconcile`: disagreements between two coders, reconciled coding;
- :mod:`analysis.comments.frequencies` and :mod:`analysis.comments.quotes`: what the coded
  comments say, by year and group, and redacted representative quotes;
- :mod:`analysis.comments.suggest`: machine-assisted coding (suggestions a person accepts);
- :mod:`analysis.comments.redaction`: redaction of personal identifiers before quoting;
- :mod:`analysis.comments.agreement`: inter-coder agreement statistics, with the reshaping
  of codings into ratings matrices in :mod:`analysis.comments.ratings`.
"""

from analysis.comments.agreement import (
    agreement,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    pairwise_agreement,
    percent_agreement,
)
from analysis.comments.frequencies import (
    KEYWORD_CODER,
    change_in_share,
    code_cooccurrence,
    code_frequencies,
    code_vs_scores,
    coded_comments,
    keyword_codings,
    linked_survey_scores,
)
from analysis.comments.quotes import representative_quotes
from analysis.comments.ratings import category_counts, cross_table
from analysis.comments.reconcile import (
    disagreement_table,
    reconcile,
    record_reconciled,
)
from analysis.comments.redaction import (
    IDENTIFIER_KINDS,
    Identifier,
    find_identifiers,
    is_valid_nhs_number,
    read_labelled_identifiers,
    redact,
    redaction_scores,
)
from analysis.comments.suggest import (
    SUGGESTION_COLUMNS,
    model_codings,
    record_accepted_suggestions,
    record_model_codings,
    suggest_codes,
)
from analysis.comments.suggest_model import MODEL_CODER, TooFewCodedError
from analysis.comments.suggest_quality import coding_quality, cross_validate_coding, learning_curve
from analysis.datapackage.codebook import (
    Code,
    Codebook,
    CodebookError,
    codebook_from_qdc,
    codebook_to_qdc,
    codebook_to_yaml,
    load_codebook,
    parse_codebook,
    read_codebook_table,
    read_qdc,
    survey_link_problems,
    write_qdc,
)
from analysis.datapackage.coding_logs import (
    CodingEvent,
    CodingImportError,
    CodingLog,
    coding_history,
    load_codings,
    read_coding_spreadsheet,
)
from analysis.datapackage.codings import RECONCILED_CODER, choose_coders, codings_for_analysis

__all__ = [
    "agreement",
    "pairwise_agreement",
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
    "category_counts",
    "cross_table",
    "Code",
    "Codebook",
    "CodebookError",
    "load_codebook",
    "parse_codebook",
    "codebook_to_yaml",
    "codebook_to_qdc",
    "write_qdc",
    "codebook_from_qdc",
    "read_qdc",
    "read_codebook_table",
    "survey_link_problems",
    "CodingLog",
    "CodingEvent",
    "CodingImportError",
    "load_codings",
    "coding_history",
    "read_coding_spreadsheet",
    "choose_coders",
    "disagreement_table",
    "reconcile",
    "record_reconciled",
    "codings_for_analysis",
    "RECONCILED_CODER",
    "redact",
    "find_identifiers",
    "Identifier",
    "IDENTIFIER_KINDS",
    "is_valid_nhs_number",
    "redaction_scores",
    "read_labelled_identifiers",
    "coded_comments",
    "keyword_codings",
    "KEYWORD_CODER",
    "code_frequencies",
    "change_in_share",
    "code_cooccurrence",
    "code_vs_scores",
    "linked_survey_scores",
    "representative_quotes",
    "suggest_codes",
    "model_codings",
    "record_model_codings",
    "record_accepted_suggestions",
    "SUGGESTION_COLUMNS",
    "MODEL_CODER",
    "TooFewCodedError",
    "cross_validate_coding",
    "learning_curve",
    "coding_quality",
]
