"""Audits: answer files grouped into audits, a report run as data (scores, baselines, gates), answer files saved."""
