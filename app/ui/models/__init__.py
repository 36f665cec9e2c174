"""Qt item models for the GUI tables."""

from app.ui.models.paged import ID_ROLE, ROW_ROLE, SORT_ROLE, Column, PagedQueryModel

__all__ = ["ID_ROLE", "ROW_ROLE", "SORT_ROLE", "Column", "PagedQueryModel"]
