"""An example ToBeOut plugin, installed as its own package (see docs/plugins.md)."""

__version__ = "1.0.0"
