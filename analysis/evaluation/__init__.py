"""Evaluating actions and courses: what changed, by how much, and how sure we can be (issue 6).

Modules, by the design of the evaluation:

* :mod:`~analysis.evaluation.its`: interrupted time series of monthly indicators
  (segmented regression, Newey-West standard errors), plain or against comparison teams.
* :mod:`~analysis.evaluation.paired`: pre/post ratings of the same course participants
  (mean change, paired t and Wilcoxon tests, d_z with Hedges' correction).
* :mod:`~analysis.evaluation.did`: difference-in-differences of survey outcomes between
  targeted and untargeted units (fixed effects, clustered errors, wild cluster bootstrap,
  placebo test, the group trends behind the parallel-trends assumption).
* :mod:`~analysis.evaluation.verdicts`: a plain-language verdict from an estimate and its
  interval that never says more than the numbers allow.

The interventions stage's steps, built on them:

* :mod:`~analysis.evaluation.register`: the action plan register (the finding behind each
  action, progress, overdue reviews, reviews by date) and what each action changed in the
  outcome measures chosen in advance, read in the direction it expected;
* :mod:`~analysis.evaluation.needs`: training needs (the weakest people-management skills,
  by directorate) and the course register;
* :mod:`~analysis.evaluation.training`: the courses on Kirkpatrick's four levels;
* :mod:`~analysis.evaluation.summary`: one table of every action's and course's estimates;
* :mod:`~analysis.evaluation.report`: everything the stage's notebook shows, step by step
  (gated tables, figures with alt text, headline figures and finding sentences).
"""

from analysis.evaluation.did import (
    FEW_CLUSTERS,
    WEBB_WEIGHTS,
    difference_in_differences,
    group_trends,
    placebo_difference_in_differences,
    pre_post_means,
    webb_weight_draws,
)
from analysis.evaluation.its import (
    MINIMUM_POINTS_EACH_SIDE,
    controlled_interrupted_time_series,
    default_newey_west_lag,
    interrupted_time_series,
    interrupted_time_series_lines,
    newey_west_covariance,
)
from analysis.evaluation.paired import (
    MINIMUM_PAIRS,
    WILCOXON_EXACT_BELOW,
    hedges_correction,
    noncentral_t_interval,
    paired_effect,
)
from analysis.evaluation.verdicts import (
    DESIGN_CAVEATS,
    FEW_TREATED_CLUSTERS,
    difference_in_differences_verdict,
    placebo_caveat,
    verdict,
)

__all__ = [
    "DESIGN_CAVEATS",
    "FEW_CLUSTERS",
    "FEW_TREATED_CLUSTERS",
    "MINIMUM_PAIRS",
    "MINIMUM_POINTS_EACH_SIDE",
    "WEBB_WEIGHTS",
    "WILCOXON_EXACT_BELOW",
    "controlled_interrupted_time_series",
    "default_newey_west_lag",
    "difference_in_differences",
    "difference_in_differences_verdict",
    "group_trends",
    "hedges_correction",
    "interrupted_time_series",
    "interrupted_time_series_lines",
    "newey_west_covariance",
    "noncentral_t_interval",
    "paired_effect",
    "placebo_caveat",
    "placebo_difference_in_differences",
    "pre_post_means",
    "verdict",
    "webb_weight_draws",
]

# The interventions stage: the action plan register and the training courses (issue 6).
from analysis.evaluation.needs import (  # noqa: E402
    course_register,
    skill_comment_shares,
    skill_scores,
)
from analysis.evaluation.register import (  # noqa: E402
    action_outcomes,
    action_progress,
    action_register,
    action_trends,
    overdue_actions,
)
from analysis.evaluation.summary import evaluation_summary  # noqa: E402
from analysis.evaluation.training import (  # noqa: E402
    course_results,
    paired_ratings,
    reaction_by_cohort,
    reaction_distribution,
)

__all__ += [
    "action_outcomes",
    "action_progress",
    "action_register",
    "action_trends",
    "course_register",
    "course_results",
    "evaluation_summary",
    "overdue_actions",
    "paired_ratings",
    "reaction_by_cohort",
    "reaction_distribution",
    "skill_comment_shares",
    "skill_scores",
]
