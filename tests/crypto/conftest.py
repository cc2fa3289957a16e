"""PGP tests: two test keys made with gpg (passphrases below), kept as armored files.

``desk`` is the help desk's key; ``other`` is a key the help desk never has. The
armored messages are made here with pysequoia, for the public half of a key.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pysequoia
import pytest

from crypto import keys
from crypto.models import PrivateKey
from tests.conftest import World

DATA = Path(__file__).with_name("data")
DESK_KEY = (DATA / "desk.sec.asc").read_text()
DESK_PASSPHRASE = "correct horse desk"
OTHER_KEY = (DATA / "other.sec.asc").read_text()
OTHER_PASSPHRASE = "correct horse other"
#: 20 MB of zeros, zlib-compressed, encrypted to the desk key: 34 KB of armor.
BOMB = (DATA / "bomb.asc").read_text()


def encrypt_to(secret_key: str, text: str | bytes) -> str:
    """An armored message for the public half of ``secret_key``."""
    data = text.encode() if isinstance(text, str) else text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        certificate = pysequoia.Tsk.from_bytes(secret_key.encode()).extract_certificate()
        return bytes(pysequoia.encrypt(data, recipients=[certificate])).decode("ascii")


@pytest.fixture
def desk_key(world: World) -> PrivateKey:
    return keys.install(actor=world.admin, armored=DESK_KEY, passphrase=DESK_PASSPHRASE)
