"""The evalkit version, in a module of its own so importing it imports nothing else."""

__version__ = "0.1.0"
