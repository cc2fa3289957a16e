"""SQLite files that make their folder when first opened, never at import.

``base.py`` is the database backend (ENGINE ``frontdesk.sqlite``), ``queue.py``
the worker queue's huey class: on a fresh checkout `frontdesk migrate`, the
test database and `frontdesk worker` create the data folder themselves, 0700,
and their files 0600 (``frontdesk/private_files.py``).
"""
