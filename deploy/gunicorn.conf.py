"""gunicorn's settings for the web process: the image's default command, the compose
stack's web service and `make prod-check` all start gunicorn with this file.

gunicorn keeps its default forwarded_allow_ips (127.0.0.1 only): it does not trust the
proxy's forwarded headers; Django reads X-Forwarded-For itself (JOUR_TRUSTED_PROXY_COUNT).
"""

import os

bind = os.environ.get("JOUR_GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("JOUR_GUNICORN_WORKERS", "3"))
# The heartbeat files on a memory file system: a container's disk can stall a worker.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn's own advice for containers, not a file of ours
