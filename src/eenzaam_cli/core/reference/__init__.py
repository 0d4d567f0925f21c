"""Reference data: the data files' schema, their validation, the compiled lookup tables and their cache."""
