"""Storage: SQLAlchemy 2 models, Alembic migrations and the repository the service uses."""

from bot.storage.db import Database
from bot.storage.repository import Repository

__all__ = ["Database", "Repository"]
