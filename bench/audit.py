#!/usr/bin/env python3
"""The audit trail benchmark (SPEC section 11: `audit log` over 10,000 commits with records in under 2 s).

generate: a repository whose main branch has COMMITS landed commits, each changing one app's manifest, and a
decision record on every one of them under refs/notes/tiergate: canonical JSON (sorted keys, no whitespace,
UTF-8) whose `previous` is the SHA-256 of the record before, as `tiergate record` writes them, so `audit verify`
holds on it. Written with git fast-import (commits first, then one notes commit naming every commit by its id).

measure: median wall time of `tiergate audit log` (all apps, json and text; one app), `tiergate audit verify`, and
`git log --first-parent --notes=tiergate` as a reference, each after a warm-up; the 1-minute load average before
and after. Writes its section of bench/results.md (between the audit markers), leaving the rest as it is.
"""
import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time

APPS = 200
START = 1_767_225_600  # 2026-01-01T00:00:00Z
POLICY = """apiVersion: tiergate/v1
kind: Policy
groups:
  coe: [cora]
  security: [sam]
  privacy: [priya]
  platform: [pat]
"""


def manifest(name, cap):
    return f"""apiVersion: microapps/v1
kind: MicroApp
metadata:
  name: {name}
  owner: team-{int(name[-4:]) % 7}
spec:
  dataClass: internal
  accessScope: team
  runtime: client
  criticality: toy
  network:
    egress: none
  lifecycle:
    createdAt: 2026-01-01
  cost:
    monthlyCapUSD: {cap}
  observability:
    logSink: siem
    retentionDays: 90
"""


def data(text):
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def stamp(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def generate(repo, commits):
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    marks = os.path.join(repo, ".git", "bench-marks")
    stream = bytearray()
    author = b"bench <bench@example.invalid>"
    for i in range(commits + 1):
        t = START + i * 3600
        stream += b"commit refs/heads/main\nmark :%d\n" % (i + 1)
        stream += b"committer " + author + b" %d +0000\n" % t
        stream += data(f"change {i}")
        if i > 0:
            stream += b"from :%d\n" % i
        if i == 0:
            stream += b"M 100644 inline .tiergate/policy.yaml\n" + data(POLICY)
            for a in range(APPS):
                name = f"app-{a:04d}"
                stream += f"M 100644 inline apps/{name}/microapp.yaml\n".encode() + data(manifest(name, 10))
        else:
            name = f"app-{i % APPS:04d}"
            stream += f"M 100644 inline apps/{name}/microapp.yaml\n".encode() + data(manifest(name, 10 + i))
    subprocess.run(["git", "fast-import", "--quiet", f"--export-marks={marks}"], cwd=repo, input=bytes(stream), check=True)
    ids = {}
    with open(marks) as f:
        for line in f:
            mark, sha = line.split()
            ids[int(mark[1:]) - 1] = sha
    policy_blob = subprocess.run(["git", "rev-parse", "main:.tiergate/policy.yaml"], cwd=repo, check=True,
                                 capture_output=True, text=True).stdout.strip()

    notes = bytearray(b"commit refs/notes/tiergate\ncommitter " + author + b" %d +0000\n" % START + data("records"))
    previous, previous_commit = None, None
    for i in range(1, commits + 1):
        name = f"app-{i % APPS:04d}"
        before = 10 + i - APPS if i > APPS else 10
        record = {
            "schemaVersion": 1, "tool": {"name": "tiergate", "version": "bench"},
            "commit": ids[i], "parent": ids[i - 1], "committedAt": stamp(START + i * 3600), "judgedOn": "2026-01-02",
            "policy": {"source": "base", "path": ".tiergate/policy.yaml", "blob": policy_blob, "commit": ids[i - 1], "changed": False},
            "decision": "pass", "gateDecision": "pass",
            "apps": [{
                "name": name, "path": f"apps/{name}/microapp.yaml", "previousPath": None, "previousName": None,
                "change": "modified", "baseTier": 0, "headTier": 0, "requiredTier": 0, "tierChange": "unchanged",
                "fieldChanges": [{"path": "spec.cost.monthlyCapUSD", "from": before, "to": 10 + i}],
                "requiredApprovals": [{"group": "coe", "count": 1, "reason": "rule cost-review"}],
            }],
            "approvals": {
                "author": "dana", "missing": 0, "discarded": [],
                "required": [{"group": "coe", "count": 1, "reasons": ["rule cost-review"], "satisfied": True,
                              "approvedBy": [{"login": "cora", "source": "github", "reviewedAt": stamp(START + i * 3600 - 60),
                                              "reviewedCommit": ids[i]}]}],
            },
            "blockingFindings": [], "previous": previous, "previousCommit": previous_commit,
        }
        raw = canonical(record)
        notes += b"N inline " + ids[i].encode() + b"\n" + b"data %d\n" % len(raw) + raw + b"\n"
        previous, previous_commit = hashlib.sha256(raw).hexdigest(), ids[i]
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=bytes(notes), check=True)
    subprocess.run(["git", "gc", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)


def timed(cmd, cwd):
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, shell=isinstance(cmd, str), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"bench: {cmd} failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
    return wall


def measure(repo, tiergate, runs, commits, out):
    commands = {
        "`git log --first-parent --notes=tiergate --format='%H %N'` (reference)": "git log --first-parent --notes=tiergate --format='%H %N' HEAD",
        "`tiergate audit log --format json` (all apps)": [tiergate, "audit", "log", "--format", "json"],
        "`tiergate audit log` (text)": [tiergate, "audit", "log"],
        "`tiergate audit log app-0007` (one app)": [tiergate, "audit", "log", "app-0007"],
        "`tiergate audit verify`": [tiergate, "audit", "verify"],
    }
    load_before = os.getloadavg()[0]
    for cmd in commands.values():
        timed(cmd, repo)  # warm-up: the pack in the page cache
    samples = {k: [] for k in commands}
    for _ in range(runs):
        for k, cmd in commands.items():
            samples[k].append(timed(cmd, repo))
    load_after = os.getloadavg()[0]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows = {k: statistics.median(v) for k, v in samples.items()}
    log_all = rows["`tiergate audit log --format json` (all apps)"]
    lines = [
        "<!-- audit-bench -->",
        "## Audit trail (`bench/audit.sh`)",
        "",
        f"Command: `COMMITS={commits} RUNS={runs} bench/audit.sh`. Repository: {commits} landed first-parent commits, each changing "
        f"one of {APPS} manifests, every one with a decision record under `refs/notes/tiergate` (a valid hash chain; "
        f"generated by `bench/audit.py generate`, packed). Median of {runs} rounds after a warm-up. tiergate built with "
        f"`swift build -c release --static-swift-stdlib`. Machine: {os.cpu_count()} cores, {os.uname().machine}, "
        f"Linux {os.uname().release}. Load average (1 min) before and after: {load_before:.2f}, {load_after:.2f}. "
        f"Largest peak RSS of any run: {peak:.0f} MB.",
        "",
        "| command | median wall |",
        "|---|---:|",
    ]
    lines += [f"| {k} | {v * 1000:.0f} ms |" for k, v in rows.items()]
    lines += ["", f"Target: `audit log` over {commits} recorded commits under 2 s: {log_all:.2f} s, "
              f"{'met' if log_all < 2 else 'NOT met'}.", "<!-- /audit-bench -->"]
    section = "\n".join(lines) + "\n"
    text = open(out).read() if os.path.exists(out) else ""
    begin, end = text.find("<!-- audit-bench -->"), text.find("<!-- /audit-bench -->")
    if begin >= 0 and end > begin:
        text = text[:begin] + section + text[end + len("<!-- /audit-bench -->") + 1:]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    with open(out, "w") as f:
        f.write(text)
    print(section)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    g = sub.add_parser("generate")
    g.add_argument("repo")
    g.add_argument("--commits", type=int, default=10000)
    m = sub.add_parser("measure")
    m.add_argument("--repo", required=True)
    m.add_argument("--tiergate", required=True)
    m.add_argument("--runs", type=int, default=5)
    m.add_argument("--commits", type=int, required=True)
    m.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.what == "generate":
        generate(a.repo, a.commits)
    else:
        measure(a.repo, a.tiergate, a.runs, a.commits, a.out)


if __name__ == "__main__":
    main()
