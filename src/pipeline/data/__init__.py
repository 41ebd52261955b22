"""Raw data: codebook, schemas, readers, validation, cleaning and the synthetic generator."""
