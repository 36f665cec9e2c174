"""The tables of revision 0001 (the initial schema), one module per part of the application.

Each module's `create()` makes its tables and `drop()` removes them. Revision 0001 calls them in
`PARTS` order (every foreign key points to a table created before it) and drops in reverse.
The statements are the ones Alembic generated for 0001; a changed schema needs a new revision,
never an edit here."""

from __future__ import annotations

from app.migrations.schema_0001 import (
    archive,
    batches,
    certificates,
    organisation,
    people,
    system,
    venues,
)

PARTS = (system, organisation, people, venues, batches, certificates, archive)
