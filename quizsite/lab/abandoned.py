"""Skip requests whose client has already gone, on gunicorn's WSGI workers.

A sync worker takes one request at a time; the others wait in the listen backlog. When
a run is cancelled (the browser went away), the conductor closes its connections, but
the requests already sent sit in that backlog: without this, the worker would accept
and sleep through every one of them, busy for up to n × delay after the run is gone.
Before running a request, peek at its socket: end-of-file means the client hung up.
"""

from __future__ import annotations

import socket


def client_gone(environ: dict) -> bool:
    sock = environ.get("gunicorn.socket")  # gunicorn's sync and gthread workers set it
    if sock is None:
        return False
    try:
        data = sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return False  # open, nothing more to read: the client is waiting
    except OSError:
        return True
    return data == b""


def skip_abandoned(application):
    def wrapper(environ, start_response):
        if client_gone(environ):
            # 499 (nginx's "client closed request"): nobody reads it, the log shows it.
            start_response("499 Client Closed Request", [("Content-Length", "0")])
            return [b""]
        return application(environ, start_response)

    return wrapper
