"""Django's SQLite backend, creating the database's folder (0700) and file (0600) on connect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base

from frontdesk import private_files


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        name = str(conn_params["database"])
        if not self.creation.is_in_memory_db(name):
            # Password hashes and sessions: for Frontdesk's user only.
            private_files.make_folder(Path(name).parent)
            private_files.make_file(Path(name))
        return super().get_new_connection(conn_params)
