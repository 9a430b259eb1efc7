"""Lint rules: pure functions of a document and its model, each with a stable code."""
