#!/usr/bin/env python3
"""Load on `parafind serve` over loopback with wrk, beside the same queries as separate
`parafind search` processes and beside tantivy-cli's `serve`; then memory over a long run.

    serve.py PARAFIND INDEX QUERIES OUT [--tantivy TANTIVY TANTIVY_INDEX] [--seconds 10]
             [--soak 300]

Each server is asked the 30 shared queries in turn (keyword queries, phrase queries, and all
30) by wrk with 1, 4 and 16 connections, for --seconds each; wrk's own latency percentiles
(p50, p99), requests/s and errors (non-2xx answers, socket errors) are reported. parafind
answers `/search?q=Q&n=10` (JSON Lines hits with highlights); tantivy-cli `/api/?q=Q&nhits=10`
(stored documents, no highlights). Processes: `parafind search --json -n 10 Q`, each query 5
times in turn. Soak: wrk with 16 connections for --soak seconds against parafind while its
resident memory is read every 10 s.
"""
import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_queries(path):
    queries = []
    for line in open(path, encoding="utf-8"):
        kind, _, text = line.rstrip("\n").partition("\t")
        if kind in ("kw", "phrase"):
            queries.append((kind, f'"{text}"' if kind == "phrase" else text))
    return queries


def wait_ready(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.2)
    sys.exit(f"serve.py: {url} did not answer within {seconds} s")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def to_ms(value):
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", value)
    return float(match.group(1)) * UNITS[match.group(2)]


def wrk(url_base, paths, connections, seconds, out_dir, label):
    script = os.path.join(out_dir, f"{label}.lua")
    with open(script, "w") as f:
        f.write("local paths = {\n")
        for p in paths:
            f.write(f"  {json.dumps(p)},\n")
        f.write("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
                "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n")
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url_base]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    with open(os.path.join(out_dir, f"{label}.wrk.txt"), "w") as f:
        f.write(text)
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", text, re.M))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {"p50_ms": to_ms(percentiles["50"]), "p99_ms": to_ms(percentiles["99"]),
            "rps": rps, "requests": requests, "errors": errors}


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start(cmd, health):
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(health)
    return server


def stop(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def load(name, url_base, make_path, queries, args, results):
    sets = {
        "keyword": [make_path(q) for kind, q in queries if kind == "kw"],
        "phrase": [make_path(q) for kind, q in queries if kind == "phrase"],
        "all 30": [make_path(q) for _, q in queries],
    }
    for set_name, paths in sets.items():
        # Warm-up: every query once, so page cache and first-use costs are not measured.
        for p in paths:
            urllib.request.urlopen(url_base + p, timeout=60).read()
        for connections in (1, 4, 16):
            label = f"{name}-{set_name.replace(' ', '')}-c{connections}"
            row = wrk(url_base, paths, connections, args.seconds, args.out, label)
            row.update(server=name, queries=set_name, connections=connections)
            results.append(row)
            print(f"{name:9} {set_name:8} c={connections:<2} p50 {row['p50_ms']:.3f} ms  "
                  f"p99 {row['p99_ms']:.3f} ms  {row['rps']:.0f} req/s  errors {row['errors']}",
                  flush=True)


def processes(args, queries, runs=5):
    times = {"kw": [], "phrase": []}
    for _ in range(runs):
        for kind, q in queries:
            started = time.perf_counter()
            subprocess.run([args.parafind, "--index", args.index, "search", "--json", "-n", "10", "--", q],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[kind].append((time.perf_counter() - started) * 1000)
    rows = []
    for kind, name in (("kw", "keyword"), ("phrase", "phrase")):
        t = sorted(times[kind])
        rows.append({"server": "processes", "queries": name, "connections": 1,
                     "p50_ms": statistics.median(t), "p99_ms": t[min(len(t) - 1, int(len(t) * 0.99))],
                     "rps": 1000 / statistics.mean(t), "requests": len(t), "errors": 0})
        print(f"processes {name:8} c=1  p50 {rows[-1]['p50_ms']:.3f} ms  p99 {rows[-1]['p99_ms']:.3f} ms  "
              f"{rows[-1]['rps']:.0f} req/s", flush=True)
    return rows


def soak(args, queries, url_base, server):
    paths = [parafind_path(q) for _, q in queries]
    script_dir = args.out
    samples = [(0, rss_mb(server.pid))]
    script = os.path.join(script_dir, "soak.lua")
    with open(script, "w") as f:
        f.write("local paths = {\n" + "".join(f"  {json.dumps(p)},\n" for p in paths) +
                "}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
                "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n")
    load_gen = subprocess.Popen(["wrk", "-t1", "-c16", f"-d{args.soak}s", "--latency", "-s", script, url_base],
                                stdout=subprocess.PIPE, text=True)
    started = time.time()
    while load_gen.poll() is None:
        time.sleep(10)
        samples.append((round(time.time() - started), rss_mb(server.pid)))
    text = load_gen.stdout.read()
    with open(os.path.join(args.out, "soak.wrk.txt"), "w") as f:
        f.write(text)
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {"seconds": args.soak, "requests": requests, "errors": errors, "rss_mb": samples}


def parafind_path(q):
    return "/search?" + urllib.parse.urlencode({"q": q, "n": 10})


def tantivy_path(q):
    return "/api/?" + urllib.parse.urlencode({"q": q, "nhits": 10})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("parafind")
    parser.add_argument("index")
    parser.add_argument("queries")
    parser.add_argument("out")
    parser.add_argument("--tantivy", nargs=2, metavar=("TANTIVY", "TANTIVY_INDEX"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--soak", type=int, default=300)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    queries = read_queries(args.queries)
    results = []

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start([args.parafind, "--index", args.index, "serve", "--port", str(port)], base + "/healthz")
    try:
        load("parafind", base, parafind_path, queries, args, results)
    finally:
        stop(server)

    results.extend(processes(args, queries))

    if args.tantivy:
        tantivy, tantivy_index = args.tantivy
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start([tantivy, "serve", "-i", tantivy_index, "--host", "127.0.0.1", "--port", str(port)],
                       base + tantivy_path("locust"))
        try:
            load("tantivy", base, tantivy_path, queries, args, results)
        finally:
            stop(server)

    soaked = None
    if args.soak:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start([args.parafind, "--index", args.index, "serve", "--port", str(port)], base + "/healthz")
        try:
            soaked = soak(args, queries, base, server)
        finally:
            stop(server)
        rss = [mb for _, mb in soaked["rss_mb"]]
        print(f"soak: {soaked['requests']} requests in {args.soak} s at 16 connections, errors {soaked['errors']}, "
              f"RSS MB start {rss[0]:.1f}, after 10 s {rss[1]:.1f}, end {rss[-1]:.1f}, max {max(rss):.1f}", flush=True)

    with open(os.path.join(args.out, "serve.json"), "w") as f:
        json.dump({"results": results, "soak": soaked}, f, indent=1)


if __name__ == "__main__":
    main()
