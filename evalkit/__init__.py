"""evalkit: measure how often a language model gives up the truth to please its user."""

__version__ = "0.1.0"
