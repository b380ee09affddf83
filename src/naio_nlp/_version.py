"""The package version, read by hatchling at build time and by ``naio_nlp.__version__``."""

__version__ = "0.1.0"
