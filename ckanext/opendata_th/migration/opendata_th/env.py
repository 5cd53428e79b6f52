"""Alembic environment of the opendata_th plugin: its own version table, its own tables only."""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from ckan.model.meta import metadata
from sqlalchemy import engine_from_config, pool

PLUGIN = os.path.basename(os.path.dirname(__file__))
VERSION_TABLE = f"{PLUGIN}_alembic_version"

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name)


def _ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    # CKAN's metadata holds every table; autogenerate compares ours only.
    return type_ != "table" or bool(name and name.startswith(PLUGIN))


def _configure(**kwargs: Any) -> None:
    context.configure(target_metadata=metadata, version_table=VERSION_TABLE, include_object=_ours, **kwargs)


if context.is_offline_mode():
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
