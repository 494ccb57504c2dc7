"""What every app-server worker process does as it starts."""

import os
import signal
import threading
import time


def exit_with_parent(poll_seconds: float = 1.0) -> None:
    """End this worker when the process that started it dies.

    A server whose main process is killed (kill -9, a crash, an OOM kill) must not
    leave its workers serving on, orphaned and unsupervised.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
