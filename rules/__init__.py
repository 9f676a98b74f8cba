"""The rules, one class per module; discovered, never registered by hand."""
