"""Builders for directory test data (small valid sources, broken on purpose by each test)."""
