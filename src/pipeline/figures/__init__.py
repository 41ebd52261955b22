"""The report's figures, one module per figure family, all drawn through ``style``."""
