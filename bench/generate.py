#!/usr/bin/env python3
"""Builds the synthetic monorepo of SPEC section 9 with git fast-import.

Branch `base`: N manifests (default 50,000) spread over teams at `teams/<team>/apps/<name>/microapp.yaml`, and
a policy (`.tiergate/policy.yaml`) whose `manifests.layout` says so. Branch `head`: a change that modifies M of
them (default 100), adds a few and removes a few. Branch `head-noadd`: the same change without the added apps
(so the cost of checking the added names against the whole revision is the difference). Branch `head-policy`:
a change of the policy alone that re-tiers every confidential and restricted app and asks fewer approvals of
tier 2 (`check` tiers every app of the head under both policies, SPEC section 10). The repository is packed
with `git gc`. With `--no-layout-policy FILE`, also writes the same policy without the layout.
"""
import argparse
import os
import random
import subprocess
import sys

DATA = ["public", "internal", "internal", "internal", "confidential", "restricted"]
SCOPE = ["personal", "team", "team", "cross-team"]
RUNTIME = ["client", "vendor-platform", "vendor-platform", "company-cloud"]
CRIT = ["toy", "productivity", "productivity"]
CONNECTORS = ["crm", "jira", "github", "slack", "hr", "ticketing"]


def manifest(i: int, team: str, rng: random.Random, variant: int = 0) -> bytes:
    integrations = rng.sample(CONNECTORS, rng.randint(0, 2))
    lines = [
        f"# App {i} of team {team}: generated for the tiergate benchmark.",
        "apiVersion: microapps/v1",
        "kind: MicroApp",
        "metadata:",
        f"  name: app-{i:05d}",
        f"  owner: {team}",
        f"  title: Generated app number {i}",
        f"  description: A synthetic micro-app that the benchmark uses to measure tiergate at monorepo scale",
        f"  labels: {{team: {team}, costCenter: CC-{1000 + i % 900}}}",
        "spec:",
        f"  dataClass: {DATA[(i + variant) % len(DATA)]}",
        f"  accessScope: {SCOPE[i % len(SCOPE)]}",
        f"  runtime: {RUNTIME[i % len(RUNTIME)]}",
        f"  criticality: {CRIT[i % len(CRIT)]}",
    ]
    if integrations:
        lines.append("  integrations:")
        for name in integrations:
            lines += [f"    - name: {name}", f"      access: {'read' if rng.random() < 0.8 else 'write'}",
                      f"      endpoint: {name}.internal.example.com"]
    lines += ["  network:", "    egress: allowlist",
              "    destinations: [" + ", ".join(f"{n}.internal.example.com" for n in integrations or ["api"]) + "]",
              "  secrets:", "    - name: API_TOKEN", f"      ref: vault://kv/apps/app-{i:05d}/api",
              "  residency: eu", "  regions: [eu-central-1]",
              "  lifecycle:", "    createdAt: 2026-11-01", "    ttlDays: 60", "    attestedAt: 2026-11-01",
              "  cost:", f"    monthlyCapUSD: {(i * 7 + variant * 13) % 300}",
              "  observability:", "    logSink: siem", "    retentionDays: 90", ""]
    return "\n".join(lines).encode()


LAYOUT = "teams/*/apps/{name}/microapp.yaml"


def policy(layout: bool, loosened: bool = False) -> bytes:
    lines = [
        "apiVersion: tiergate/v1",
        "kind: Policy",
        "manifests:",
        '  include: ["**/microapp.yaml", "**/microapp.yml", "**/*.microapp.yaml", "**/*.microapp.yml"]',
    ]
    if layout:
        lines.append(f"  layout: {LAYOUT}")
    if loosened:
        lines += [
            "dimensions:",
            "  dataClass: {public: 0, internal: 0, confidential: 0, restricted: 1, regulated: 3}",
            "  accessScope: {personal: 0, team: 0, cross-team: 1, org-wide: 2}",
            "  integrationAccess: {read: 0, write: 1, admin: 2}",
            "  runtime: {client: 0, vendor-platform: 0, company-cloud: 1}",
            "  criticality: {toy: 0, productivity: 0, sla-critical: 2}",
            "  monthlyCostUSD: [{upTo: 50, tier: 0}, {upTo: 200, tier: 1}, {upTo: 1000, tier: 2}, {tier: 3}]",
            "tiers:",
            "  - {tier: 0, name: self-service, approvals: []}",
            "  - {tier: 1, name: lightweight-review, approvals: [{group: coe, count: 1}]}",
            "  - {tier: 2, name: formal-approval, approvals: [{group: security, count: 1}]}",
            "  - {tier: 3, name: executive-signoff, approvals: [{group: security, count: 1}, {group: legal, count: 1}]}",
        ]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--manifests", type=int, default=50_000)
    ap.add_argument("--modified", type=int, default=100)
    ap.add_argument("--added", type=int, default=5)
    ap.add_argument("--removed", type=int, default=5)
    ap.add_argument("--teams", type=int, default=100)
    ap.add_argument("--no-layout-policy", help="also write the bench policy without manifests.layout to this file")
    a = ap.parse_args()
    if a.no_layout_policy:
        with open(a.no_layout_policy, "wb") as f:
            f.write(policy(layout=False))

    subprocess.run(["git", "init", "-q", "-b", "base", a.dir], check=True)
    rng = random.Random(42)
    proc = subprocess.Popen(["git", "-C", a.dir, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    out = proc.stdin
    paths = []

    def blob(mark: int, content: bytes) -> None:
        out.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(content)))
        out.write(content)
        out.write(b"\n")

    for i in range(a.manifests):
        team = f"team-{i % a.teams:03d}"
        paths.append(f"teams/{team}/apps/app-{i:05d}/microapp.yaml")
        blob(i + 1, manifest(i, team, rng))
    policy_text = policy(layout=True)
    out.write(b"commit refs/heads/base\nmark :%d\ncommitter Bench <bench@example.invalid> 1767225600 +0000\ndata 4\nbase\n" % (a.manifests + 1))
    out.write(b"M 100644 inline .tiergate/policy.yaml\ndata %d\n%s\n" % (len(policy_text), policy_text))
    for i, p in enumerate(paths):
        out.write(b"M 100644 :%d %s\n" % (i + 1, p.encode()))
    out.write(b"\n")

    mark = a.manifests + 2
    changes = []
    additions = []
    step = max(1, a.manifests // max(1, a.modified))
    for k in range(a.modified):
        i = (k * step + 17) % a.manifests
        team = f"team-{i % a.teams:03d}"
        blob(mark, manifest(i, team, random.Random(i), variant=1))
        changes.append(b"M 100644 :%d %s\n" % (mark, paths[i].encode()))
        mark += 1
    for k in range(a.added):
        i = a.manifests + k
        team = f"team-{i % a.teams:03d}"
        blob(mark, manifest(i, team, random.Random(i)))
        additions.append(b"M 100644 :%d teams/%s/apps/app-%05d/microapp.yaml\n" % (mark, team.encode(), i))
        mark += 1
    for k in range(a.removed):
        changes.append(b"D %s\n" % paths[(k * 997 + 5) % a.manifests].encode())
    out.write(b"commit refs/heads/head\nmark :%d\ncommitter Bench <bench@example.invalid> 1767229200 +0000\ndata 4\nhead\nfrom :%d\n" % (mark, a.manifests + 1))
    out.writelines(changes + additions)
    out.write(b"\n")
    out.write(b"commit refs/heads/head-noadd\nmark :%d\ncommitter Bench <bench@example.invalid> 1767229200 +0000\ndata 10\nhead-noadd\nfrom :%d\n" % (mark + 1, a.manifests + 1))
    out.writelines(changes)
    out.write(b"\n")
    loosened = policy(layout=True, loosened=True)
    out.write(b"commit refs/heads/head-policy\nmark :%d\ncommitter Bench <bench@example.invalid> 1767229200 +0000\ndata 11\nhead-policy\nfrom :%d\n" % (mark + 2, a.manifests + 1))
    out.write(b"M 100644 inline .tiergate/policy.yaml\ndata %d\n%s\n" % (len(loosened), loosened))
    out.write(b"\n")
    out.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", a.dir, "gc", "--quiet"], check=True)
    subprocess.run(["git", "-C", a.dir, "symbolic-ref", "HEAD", "refs/heads/head"], check=True)


if __name__ == "__main__":
    main()
