"""Pieces of the accuracy harness (tools/eval.py): fixtures, sandbox, scoring, candidates, report."""
