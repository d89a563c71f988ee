"""A survey's disclosure policy (lib.disclosure): its suppression threshold and a secret of
its own, so a new survey draws new changes."""

from globaldialogue.lib.disclosure import Policy, policy
from globaldialogue.surveys.models import Survey

__all__ = ["Policy", "policy_for"]


def policy_for(survey: Survey) -> Policy:
    return policy(f"cell-keys|{survey.pk}", survey.suppression_threshold)
