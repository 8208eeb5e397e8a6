#!/usr/bin/env python3
"""Writes schemas/microapp.schema.json from the table that describes the manifest once
(Sources/TiergateCore/Manifest/ManifestSchema.swift).

The table is the source: `tiergate schema manifest` prints the JSON Schema made from it, and a test fails when
the committed file differs. Run this script after changing the table.
"""
import pathlib
import subprocess

root = pathlib.Path(__file__).resolve().parent.parent
subprocess.run(["swift", "build", "--product", "tiergate"], cwd=root, check=True)
bin_dir = subprocess.run(
    ["swift", "build", "--show-bin-path"], cwd=root, check=True, capture_output=True, text=True
).stdout.strip()
schema = subprocess.run(
    [str(pathlib.Path(bin_dir) / "tiergate"), "schema", "manifest"], check=True, capture_output=True, text=True
).stdout
target = root / "schemas/microapp.schema.json"
target.write_text(schema, encoding="utf-8")
print(f"wrote {target.relative_to(root)}")
