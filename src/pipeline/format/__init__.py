"""Norwegian number formatting, shared by figures, report, profiles and build."""
