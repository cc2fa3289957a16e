"""The worker queue in a SQLite file, opened (and its tables made) on first use."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import huey
from huey.storage import SqliteStorage

from frontdesk import private_files


class LazySqliteStorage(SqliteStorage):
    """huey makes its tables when the queue object is built, which happens when
    Django loads the apps; this storage waits for the first connection, so
    `frontdesk migrate` or a web process on a fresh machine writes nothing
    here and `frontdesk worker` creates the data folder itself."""

    # With huey's tables, the expiring locks of the periodic jobs (frontdesk/locks.py).
    ddl = [
        *SqliteStorage.ddl,
        "create table if not exists frontdesk_lock (queue text not null, name text not null, "
        "owner text not null, expires_at real not null, primary key (queue, name))",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._schema_ready = False
        super().__init__(*args, **{**kwargs, "create_tables": False})

    def _create_connection(self) -> sqlite3.Connection:
        # huey opens connections under its storage lock: no two threads get here at once.
        private_files.make_folder(Path(self.filename).parent)
        private_files.make_file(Path(self.filename))
        connection = super()._create_connection()
        if not self._schema_ready:
            # What huey's initialize_schema runs, on this connection.
            cursor = connection.cursor()
            try:
                cursor.execute(self.begin_sql)
                for statement in self.ddl:
                    cursor.execute(statement)
                connection.commit()
            finally:
                cursor.close()
            self._schema_ready = True
        return connection


class SqliteHuey(huey.SqliteHuey):
    storage_class = LazySqliteStorage
