"""Survey import (`carecheck import`): a CSV export to answer files, all checked before any is written."""
