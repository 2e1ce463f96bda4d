"""Who is at the keyboard and on which host, for records and silences."""

from __future__ import annotations

import getpass
import os
import socket


def local_user() -> str:
    """The login name, or `uid-N` where the system has no name for the user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid-{os.getuid()}"


def host_name() -> str:
    """This host's name."""
    return socket.gethostname() or "localhost"
