"""Survey weighting and estimates (plain NumPy, no Django): raking responses to population
margins, trimming, Kish's effective sample size, weighted shares with margins of error.

    from globaldialogue.weighting import rake, Margin, estimate_share
"""

from globaldialogue.weighting.estimates import Share, estimate_share, kish
from globaldialogue.weighting.raking import Margin, RakeResult, rake

__all__ = ["Margin", "RakeResult", "Share", "estimate_share", "kish", "rake"]
