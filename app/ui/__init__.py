"""The PySide6 desktop interface: windows, pages, table models and dialogs (Qt only here)."""
