"""provenance: who said it, who repeated it, and through which chain of citations."""

__version__ = "0.1.0"
