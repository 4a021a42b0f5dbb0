"""The map-as-code file format: YAML and JSON documents ↔ the model (see docs/format.md)."""
