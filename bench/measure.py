#!/usr/bin/env python3
"""Runs the benchmark commands in rounds (each round runs every command once) after a warm-up and reports
each command's median wall time and the peak resident memory of the whole process (os.wait4's rusage, per
child). Prints a table and writes results.md."""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import time


KEPT = "<!-- measure.py keeps what follows this line -->"


def run_once(cmd, cwd):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, shell=isinstance(cmd, str), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 3):
        sys.exit(f"benchmark command failed ({code}): {cmd}\n{err}")
    return wall, usage.ru_maxrss / 1024.0


def measure_all(cmds, cwd, runs):
    """Runs every command once per round, round after round, so that each ratio compares runs made at
    nearly the same moment (these shared machines drift by tens of percent within a minute)."""
    for cmd in cmds.values():
        run_once(cmd, cwd)  # warm-up: page cache, dynamic linker
    samples = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            samples[name].append(run_once(cmd, cwd))
    return {
        name: (statistics.median(s[0] for s in runs_), max(s[1] for s in runs_))
        for name, runs_ in samples.items()
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--tiergate", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", required=True)
    ap.add_argument("--manifests", type=int, required=True)
    ap.add_argument("--no-layout-policy", required=True, help="the bench policy without manifests.layout")
    ap.add_argument("--baseline", help="another tiergate binary (an earlier build): its rows and ratios are measured in the same rounds")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    no_layout = ["--policy", os.path.abspath(a.no_layout_policy)]

    def tiergate_cmds(binary, prefix=""):
        check = [binary, "check", "--base", "base", "--ignore-approvals", "--format", "json"]
        return {
            prefix + "tiergate check (json, ignore approvals)": check + ["--head", "head"],
            prefix + "tiergate check, layout policy, change adds no app (head-noadd)": check + ["--head", "head-noadd"],
            prefix + "tiergate check --policy no-layout.yaml: adds 5 apps, name scan of every manifest": check + ["--head", "head"] + no_layout,
            prefix + "tiergate check --policy no-layout.yaml: adds no app (head-noadd)": check + ["--head", "head-noadd"] + no_layout,
            prefix + "tiergate lint --rev head (json)": [binary, "lint", "--rev", "head", "--format", "json"],
        }

    ours = tiergate_cmds(a.tiergate)
    lint_row = "tiergate lint --rev head (json)"
    cmds = {
        "git diff --name-only base head": ["git", "diff", "--name-only", "base", "head"],
        **{name: cmd for name, cmd in ours.items() if name != lint_row},
        "python: pygit2 + PyYAML CSafeLoader, same diff and parse": [a.python, os.path.join(here, "pygit2_check.py"), "base", "head"],
        "git ls-tree -r --object-only head | git cat-file --batch": "git ls-tree -r --object-only head | git cat-file --batch >/dev/null",
        lint_row: ours[lint_row],
        "tiergate check of a policy change (head-policy): every app tiered under both policies": [a.tiergate, "check", "--base", "base", "--ignore-approvals", "--format", "json", "--head", "head-policy"],
    }
    baseline = "baseline: "
    if a.baseline:
        cmds.update(tiergate_cmds(a.baseline, baseline))
    load_before = os.getloadavg()[0]
    rows = measure_all(cmds, a.repo, a.runs)
    load_after = os.getloadavg()[0]
    for name in cmds:
        print(f"  measured {name}: {rows[name][0] * 1000:.0f} ms, {rows[name][1]:.0f} MB", file=sys.stderr)

    impact_row = "tiergate check of a policy change (head-policy): every app tiered under both policies"

    def ratios(prefix=""):
        diff = rows["git diff --name-only base head"][0]
        check = rows[prefix + "tiergate check (json, ignore approvals)"][0]
        check_noadd = rows[prefix + "tiergate check, layout policy, change adds no app (head-noadd)"][0]
        scan_check = rows[prefix + "tiergate check --policy no-layout.yaml: adds 5 apps, name scan of every manifest"][0]
        scan_noadd = rows[prefix + "tiergate check --policy no-layout.yaml: adds no app (head-noadd)"][0]
        scan = scan_check - scan_noadd
        py = rows["python: pygit2 + PyYAML CSafeLoader, same diff and parse"][0]
        cat = rows["git ls-tree -r --object-only head | git cat-file --batch"][0]
        lint, lint_mem = rows[prefix + "tiergate lint --rev head (json)"]
        return [
            ("check / git diff", check / diff, "at most 3x", check / diff <= 3),
            ("check adding apps, layout lookup / the same check adding none", check / check_noadd, "at most 1.1x", check / check_noadd <= 1.1),
            ("name scan (no-layout check adding apps minus no-layout check adding none) / lint", scan / lint, "at most 0.5x", scan / lint <= 0.5),
            ("python script / check", py / check, "at least 9x", py / check >= 9),
            ("lint / git cat-file", lint / cat, "at most 4x", lint / cat <= 4),
            ("lint peak memory (MB)", lint_mem, "under 150", lint_mem < 150),
        ] + ([] if prefix else [
            ("check of a policy change (impact on every app) / lint", rows[impact_row][0] / lint, "at most 2.5x", rows[impact_row][0] / lint <= 2.5)])

    lines = [
        f"# tiergate benchmark",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}. "
        f"Repository: {a.manifests} manifests (packed) at `teams/<team>/apps/<name>/microapp.yaml`, and a base policy "
        f"with `manifests.layout: teams/*/apps/{{name}}/microapp.yaml`; `head` is a change that modifies 100, adds 5, removes 5; "
        f"`head-noadd` is the same change without the 5 added apps; `head-policy` changes only the policy (confidential "
        f"and restricted data one tier lower, fewer approvals for tiers 2 and 3), so `check` tiers every app of the head "
        f"under both policies. The `--policy no-layout.yaml` rows use the same policy "
        f"without the layout, so adding apps makes `check` read the names of every manifest at head with the name scanner; "
        f"the scan's cost is the difference between the two no-layout rows. "
        f"Median of {a.runs} rounds after a warm-up, each round running every command once; peak RSS is the largest of the runs. "
        f"tiergate is built with `swift build -c release --static-swift-stdlib`. "
        f"Load average (1 min) before and after the runs: {load_before:.2f}, {load_after:.2f} "
        f"(other work on the machine: the 1.1x row needs the second core free, see README \"Names against the whole head revision\").",
        "",
        "| command | median wall | peak memory |",
        "|---|---:|---:|",
    ]
    for name, (wall, mem) in rows.items():
        shown = name.replace("|", "\\|")  # a pipe inside a table cell must be escaped, even in code
        lines.append(f"| `{shown}` | {wall * 1000:.0f} ms | {mem:.0f} MB |")
    lines += ["", "| ratio | measured | target | met |", "|---|---:|---|---|"]
    for name, value, target, ok in ratios():
        lines.append(f"| {name} | {value:.2f} | {target} | {'yes' if ok else 'NO'} |")
    if a.baseline:
        lines += [
            "",
            f"The baseline rows are `{a.baseline}`, measured in the same rounds. Its ratios, against the same git and "
            "python rows:",
            "",
            "| ratio | baseline | this build |",
            "|---|---:|---:|",
        ]
        for (name, old, _, _), (_, new, _, _) in zip(ratios(baseline), ratios()):
            lines.append(f"| {name} | {old:.2f} | {new:.2f} |")
    text = "\n".join(lines) + "\n"
    # Notes written by hand below the marker (instruction counts and the commands behind them) are kept.
    if os.path.exists(a.out):
        with open(a.out) as f:
            previous = f.read()
        if KEPT in previous:
            text += "\n" + previous[previous.index(KEPT):]
    with open(a.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
