"""coopctl: a registry-as-code tool for inter-municipal digitalisation agreements."""

__version__ = "0.1.0"
