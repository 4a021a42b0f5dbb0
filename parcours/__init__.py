"""parcours: customer journey maps as code, tied to real customer data."""

from __future__ import annotations

__version__ = "0.1.0"
