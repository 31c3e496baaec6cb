"""Storage: SQLAlchemy 2 models, Alembic migrations and the repository the service uses."""

from storage.db import Database
from storage.repository import Repository

__all__ = ["Database", "Repository"]
