"""Reading files: opening them bounded, YAML with line numbers, CSV, SPSS and Excel as the same rows."""
