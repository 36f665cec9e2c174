"""The main window's pages, one per navigation area. Each takes (db, actor, parent)."""
