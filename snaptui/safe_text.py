"""Outside text made safe for a terminal. The one implementation lives in the core
(`snaptui.volc.safe_text`), where answers are decoded; the UI imports it from here."""

from __future__ import annotations

from snaptui.volc.safe_text import SafeText, clean, clean_optional

__all__ = ["SafeText", "clean", "clean_optional"]
