"""jwtscan: find hardcoded JWT signing secrets and the signing keys beside them."""

__version__ = "0.1.0"
