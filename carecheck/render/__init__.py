"""Rendering: reports, history, findings and checklist views, from data to text or bytes."""
