#!/usr/bin/env python3
"""Follows an ingesting service's log until ORDERS orders are stored, and prints the rate and the CPU an order.

    bench/watch_ingest.py LOG ORDERS START_EPOCH_SECONDS SERVICE_PID BROKER_PID POSTGRES_DATA_DIR BROKER_NAME

The service logs one line a committed batch ("Committed N messages up to ...: S stored, ..."); the first such line
starts the clock and the line that brings the stored orders to ORDERS stops it. At both moments it reads the CPU time
of the service's JVM, of the PostgreSQL cluster (its postmaster and every child) and of the broker (nats-server or
Kafka's JVM, named BROKER_NAME in the output) from /proc. One process reading a file every 50 ms replaces a curl of
/metrics every 200 ms, which started a process each time and had the service render its metrics for it: a few percent
of the two cores, taken from what was timed (docs/PERFORMANCE.md, ingestion, session 20). Exits 1 when the service
ends first.
"""
import os
import re
import sys
import time

from processes import alive

log_path, orders, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
service_pid, broker_pid, postgres_dir, broker_name = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
committed = re.compile(r"IngestPipeline - Committed \d+ messages up to .*?: (\d+) stored")
ticks_a_second = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks_a_second
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


def postgres_pids():
    with open(os.path.join(postgres_dir, "postmaster.pid")) as pid_file:
        postmaster = int(pid_file.readline())
    with open(f"/proc/{postmaster}/task/{postmaster}/children") as children:
        return [postmaster, *map(int, children.read().split())]


def cpu_snapshot():
    return (cpu_seconds(service_pid), sum(cpu_seconds(pid) for pid in postgres_pids()), cpu_seconds(broker_pid))


stored = 0
first = None
with open(log_path, errors="replace") as log:
    pending = ""
    while stored < orders:
        chunk = log.readline()
        if not chunk:
            if not alive(service_pid):
                sys.exit(1)
            time.sleep(0.05)
            continue
        pending += chunk
        if not pending.endswith("\n"):
            continue
        line, pending = pending, ""
        match = committed.search(line)
        if not match:
            continue
        stored += int(match[1])
        if first is None:
            first, first_stored, first_cpu = time.time(), stored, cpu_snapshot()
last, last_cpu = time.time(), cpu_snapshot()

with open(f"/proc/{service_pid}/status") as status:
    rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024
if first_stored >= orders:
    sys.exit(f"== all {orders} orders were stored by the first commit: too few to time")
timed = orders - first_stored
print(f"== {orders} orders stored: {timed / (last - first):,.0f} orders/s from the first commit "
      f"({last - first:.1f} s), {last - start:.1f} s from process start; RSS {rss:.0f} MiB")
used = [(b - a) * 1e6 / timed for a, b in zip(first_cpu, last_cpu)]
print("== CPU an order from the first commit to the last: JVM {:.0f} us, PostgreSQL {:.0f} us, {} {:.0f} us;"
      " {:.0f} us in all".format(*used[:2], broker_name, used[2], sum(used)))
