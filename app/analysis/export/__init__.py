"""Exports: the dashboard's protected tables, and the anonymised responses."""
