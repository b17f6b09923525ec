"""Staff config: TOML files -> validated, typed models; last-known-good; change detection."""

from kiosk.config.issues import Issue
from kiosk.config.loader import Config, LoadResult, load

__all__ = ["Config", "Issue", "LoadResult", "load"]
