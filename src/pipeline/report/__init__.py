"""Turns results into what the report includes: ``_variables.yml`` and pipe tables."""
