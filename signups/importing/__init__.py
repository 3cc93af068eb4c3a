"""Bringing existing lists in: a spreadsheet uploaded in the admin, its
columns mapped, a preview of every row, then one transaction of
volunteer_upsert calls (docs/importing.md).

reading (file -> rows), columns (header guessing), rows (one row -> our
fields or a refusal), preview (what would happen), writing (the import),
tasks (the worker runs both for large files), admin (the screens).
"""
