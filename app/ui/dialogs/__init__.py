"""Dialogs used by several pages."""
