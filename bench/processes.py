"""What the benchmarks' Python helpers ask of a process (imported by bench/await_ready.py and bench/watch_ingest.py)."""
import os


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def cpu_ms(pid):
    """User and system CPU time the process has used so far, in milliseconds (its threads, not its children)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 // os.sysconf("SC_CLK_TCK")
