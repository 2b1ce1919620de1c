"""The dashboard's templates, static assets and message catalogue (rendered by reef.server.pages)."""
from pathlib import Path

__all__ = ["TEMPLATES", "STATIC"]

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
