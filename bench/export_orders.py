#!/usr/bin/env python3
"""Writes orders.tsv (order_uid<TAB>JSON, as the Go reference server reads) and ids.txt from a running Orders."""
import http.client
import json
import sys

host, port, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
connection = http.client.HTTPConnection(host, port)


def get(path):
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path}: HTTP {response.status}")
    return body


ids, before = [], None
while True:
    page = json.loads(get("/api/orders?limit=100" + (f"&before={before}" if before else "")))
    ids += [order["order_uid"] for order in page["orders"]]
    before = page["next"]
    if not before:
        break
with open(f"{out_dir}/orders.tsv", "wb") as tsv, open(f"{out_dir}/ids.txt", "w") as id_file:
    for uid in ids:
        tsv.write(uid.encode() + b"\t" + get(f"/api/orders/{uid}") + b"\n")
        id_file.write(uid + "\n")
print(f"exported {len(ids)} orders")
