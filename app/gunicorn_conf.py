"""gunicorn settings (`gunicorn -c python:app.gunicorn_conf wsgi:app`).

Live polls hold a server-sent-events stream open for every phone in the room (1,000+ at a big
rencontre). Sync or thread workers would give each stream a whole worker or thread and starve
ordinary pages; gevent workers multiplex thousands of idle connections per process on greenlets,
and psycopg 3 and redis-py cooperate with gevent once the worker has patched the standard library.
"""

import os
import subprocess
import sys

from gunicorn.glogging import Logger

from app.logging_filters import scrub

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
worker_class = "gevent"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "2000"))  # per worker
timeout = 60
graceful_timeout = 30
keepalive = 5
preload_app = False  # each worker imports the app after gevent has patched it

# Never the client address (%(h)s), nor the query string, referrer or user agent.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"


class ScrubbedLogger(Logger):
    """gunicorn's logger, each line without an address and on one line (app/logging_filters.py):
    its « Invalid request from ip=… » warning, and a decoded path with CR/LF in the access log."""

    def setup(self, cfg):
        super().setup(cfg)  # runs again on reload (SIGHUP): the filters stay, once each
        scrub(self.error_log)
        scrub(self.access_log)


logger_class = ScrubbedLogger
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Refuse to start with a wrong DATABASE_URL: one clear line, non-zero exit.

    Checked in a child process so the master imports nothing before the workers patch.
    """
    check = subprocess.run(
        [sys.executable, "-m", "app.startup"], capture_output=True, text=True, check=False
    )
    if check.returncode != 0:
        sys.stderr.write(check.stderr)
        sys.exit(check.returncode)


def post_worker_init(worker):
    """Move what the app loaded at boot out of the garbage collector's way: without this, full
    collections over ~120,000 long-lived objects pause a request for about 80 ms now and then."""
    import gc

    gc.collect()
    gc.freeze()
