"""The 机构级别 combo (000 一(二)3: Chongqing 全市/区县), shared by the organisation page and the
first-run wizard: one item per level scope of the profile, hidden when there is nothing to choose."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from app.rules.levels import scope_text
from app.rules.profile_model import LevelRule


def fill_scope_levels(
    combo: QComboBox, label: QWidget, rule: LevelRule | None, current: str | None
) -> None:
    """Offer `rule`'s scopes and select `current` (the rule's default when it is not one of
    them); a rule with one scope, or none (profile not found), hides the combo and its label."""
    combo.clear()
    scopes = rule.scopes if rule is not None else ()
    for scope in scopes:
        combo.addItem(scope_text(scope), scope.key)
    index = combo.findData(current)
    if index < 0 and rule is not None:
        index = combo.findData(rule.default_scope)
    combo.setCurrentIndex(max(0, index))
    choose = len(scopes) > 1
    combo.setVisible(choose)
    label.setVisible(choose)
