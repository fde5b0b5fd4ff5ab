"""What the service writes: API keys, feedback and the opt-in question log, through SQLAlchemy.

SQLite file ``data_dir/reportqa.db`` by default (WAL, safe under concurrent writers), PostgreSQL when
``REPORTQA_DB__URL=postgresql+psycopg://...`` is set. Modules: ``tables`` (schema), ``db`` (engine,
transactions, schema on first use), ``keys`` (API keys), ``feedback`` (feedback, export, question log),
``commands`` (the ``reportqa keys`` / ``reportqa feedback`` subcommands).
"""

from reportqa.store.db import Database, DatabaseError, database_for, database_url

__all__ = ["Database", "DatabaseError", "database_for", "database_url"]
