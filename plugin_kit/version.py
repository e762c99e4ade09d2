"""The plugin kit's version: its wheel's, which plugin wheels require with a range (>=0.1,<0.2)."""

__version__ = "0.1.0"
