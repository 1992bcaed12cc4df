"""djxz: a party-building collaboration zone kept as YAML in git."""

__version__ = "0.1.0"
