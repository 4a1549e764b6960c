"""The reference provincial hub: an ASGI server over SQLAlchemy (SQLite or PostgreSQL)."""
