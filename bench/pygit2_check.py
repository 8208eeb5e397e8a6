#!/usr/bin/env python3
"""The comparison script of SPEC section 9: the same diff and parse as `tiergate check`, in Python with pygit2
and PyYAML's C loader: merge base, tree diff, and both sides of every changed manifest parsed."""
import sys

import pygit2
import yaml

MANIFEST_SUFFIXES = ("/microapp.yaml", "/microapp.yml", ".microapp.yaml", ".microapp.yml")


def is_manifest(path):
    return path in ("microapp.yaml", "microapp.yml") or path.endswith(MANIFEST_SUFFIXES)


def main():
    repo = pygit2.Repository(".")
    base = repo.revparse_single(sys.argv[1]).peel(pygit2.Commit)
    head = repo.revparse_single(sys.argv[2]).peel(pygit2.Commit)
    merge_base = repo[repo.merge_base(base.id, head.id)]
    diff = repo.diff(merge_base.tree, head.tree)
    docs = 0
    for delta in diff.deltas:
        for side in (delta.old_file, delta.new_file):
            if side.id.raw == b"\0" * 20 or not is_manifest(side.path):
                continue
            for doc in yaml.load_all(repo[side.id].data, Loader=yaml.CSafeLoader):
                docs += doc is not None
    print(docs)


if __name__ == "__main__":
    main()
