"""Runs the stages: papermill execution, provenance manifest and change summary."""
