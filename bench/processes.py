"""What the benchmarks' Python helpers ask of a process (imported by bench/await_ready.py and bench/watch_ingest.py)."""
import os


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
