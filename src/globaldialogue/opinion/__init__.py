"""The opinion map: groups, representative statements, consensus and bridging, from votes.

Plain numpy, scipy and scikit-learn; no Django. The entry point is `compute_map`.
"""

from globaldialogue.opinion.map import OpinionMap, Repness, compute_map

__all__ = ["OpinionMap", "Repness", "compute_map"]
