"""Extractors: one file in, immutable facts out."""
