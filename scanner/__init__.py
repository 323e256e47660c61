"""jwtscan: find hardcoded JWT signing secrets and the signing keys beside them."""

from scanner.startup import reuse_compiled_dataclasses

__version__ = "0.1.0"

# Before any module of the package defines its dataclasses (see scanner/startup.py).
reuse_compiled_dataclasses(__version__)
