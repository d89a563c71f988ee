"""Forming balanced small groups for video dialogues (plain Python: no Django).

from globaldialogue.grouping import form_groups
"""

from globaldialogue.grouping.form import (
    Group,
    Grouping,
    diversity,
    form_groups,
    place_late,
    random_grouping,
)

__all__ = ["Group", "Grouping", "diversity", "form_groups", "place_late", "random_grouping"]
