"""What the service writes: API keys, feedback and the opt-in question log, through SQLAlchemy.

SQLite file ``data_dir/reportqa.db`` by default (WAL, safe under concurrent writers), PostgreSQL when
``REPORTQA_DB__URL=postgresql+psycopg://...`` is set. Modules: ``tables`` (schema), ``db`` (engine,
transactions, schema on first use), ``keys`` (API keys), ``feedback`` (feedback, export, question log),
``commands`` (the ``reportqa keys`` / ``reportqa feedback`` subcommands).

Importing this package is cheap (the CLI parser reads ``SCOPES``); SQLAlchemy loads with the modules.
"""

SCOPES = ("admin",)
"""Extra rights a key can have: 'admin' may call /v1/admin/*."""
