"""The statistics the report states (DESIGN.md section 3)."""
