"""aigeo: a knowledge graph of AI-geopolitics actors built from news."""

__version__ = "0.1.0"
