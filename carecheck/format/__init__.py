"""The file formats: the pydantic models (the only importer of pydantic), the YAML reader and writer,
the JSON Schema, and the domain rules of an answer."""
