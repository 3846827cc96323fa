"""gunicorn's settings for Briefs CMS: `gunicorn -c briefs_cms/gunicorn.py briefs_cms.wsgi`.

Workers: WEB_CONCURRENCY (default 2). Errors go to stderr; access logs only when
ACCESS_LOG is set (they cost throughput).
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("WORKER_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
errorlog = "-"
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
# Django connects lazily in each worker; nothing is shared across the fork.
preload_app = False
