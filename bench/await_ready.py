#!/usr/bin/env python3
"""Waits for a service to answer 200 on /health/ready; prints the wall-clock time of that answer in nanoseconds and the
CPU time the service had used by then, in milliseconds.

    bench/await_ready.py PORT PID_FILE [TIMEOUT_SECONDS]

Started before the service, so that Python's own start is not timed; the service's process id is then written to
PID_FILE. It exits 1 when that process has ended without being ready, 2 after the timeout (default 300 s).
One process asking every 10 ms costs a few percent of a core; the curl process a poll that the benchmarks started
before cost about 60% of one of the machine's two cores, taken from the service they timed (docs/PERFORMANCE.md).
"""
import http.client
import os
import sys
import time

from processes import alive, cpu_ms

port, pid_file = int(sys.argv[1]), sys.argv[2]
deadline = time.monotonic() + (float(sys.argv[3]) if len(sys.argv) > 3 else 300)


def ready():
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/health/ready")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


while not os.path.exists(pid_file):
    if time.monotonic() > deadline:
        sys.exit(2)
    time.sleep(0.01)
with open(pid_file) as f:
    pid = int(f.read())

while not ready():
    if not alive(pid):
        sys.exit(1)
    if time.monotonic() > deadline:
        sys.exit(2)
    time.sleep(0.01)
print(time.time_ns(), cpu_ms(pid))
