"""RQ's worker, for TASKS_BACKEND=rq (`manage.py worker` runs it), stopping promptly."""

from rq.worker import Worker


class PromptWorker(Worker):
    def subscribe(self):
        # As RQ's own, but its channel listener wakes every second, not every minute:
        # stopping the worker waits for the listener, which held each run for 60 s.
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
        )
