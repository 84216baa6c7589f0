"""Subcommands of `python -m pipeline`, one module each, discovered automatically."""
