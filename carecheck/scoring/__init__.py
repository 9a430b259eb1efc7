"""Scoring, pure: answer files to a Scorecard, and audits compared over time."""
