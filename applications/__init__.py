"""Bundled pretrained applications (arriving in their own issue)."""

__all__ = []
