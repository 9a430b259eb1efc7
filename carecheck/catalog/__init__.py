"""The catalog: finding checklists (and plans) by id or path, tailoring them, linting what it loads, settings."""
