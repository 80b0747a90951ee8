"""Repair passes: each module exposes ``find(text, config) -> list[Edit]``."""
