"""Work too long for a web request — a large spreadsheet import — done by a worker
(`manage.py worker`) as a job: queued by Django's tasks framework (`django.tasks`, on the
database through django-tasks-db), its stage, progress and result kept in a `Job` row that
the admin shows. A job's work is all or nothing, so a job whose worker died is simply run
again (`reaping`), and a failed one can be retried from its page."""
