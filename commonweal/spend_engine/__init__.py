"""Django-free spend engine: ingest of council spend files, reference data, geography,
supplier classification, CLES-style analysis and supplier linkage (DuckDB, Splink)."""
