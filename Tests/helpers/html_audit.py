"""Parses an HTML page with html5lib (strict: any parse error fails) and prints, as JSON, what a self-contained page
must not have and what the inventory page must have: every reference to something outside the page (an attribute
that loads or links a URL, a <link>, <base>, <iframe>, <object>, <embed>, <img>, a meta refresh, CSS url() or
@import), every script with a src, the SVGs inside each <figure id>, the table's rows (first cell of each), and
the element names of the document.

Usage: python html_audit.py < PAGE.html
"""
import json
import re
import sys

import html5lib

URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "background", "ping", "longdesc", "cite", "manifest"}
EXTERNAL_ELEMENTS = {"link", "base", "iframe", "object", "embed", "img", "frame", "audio", "video", "source", "track", "portal"}
CSS_REFERENCE = re.compile(r"url\s*\(|@import", re.I)


def local(name):
    return name.split("}", 1)[-1]


def main():
    text = sys.stdin.buffer.read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        doc = parser.parse(text)
    except html5lib.html5parser.ParseError as e:
        print(json.dumps({"parseError": str(e)}))
        return
    out = {"parseError": None, "external": [], "scripts": 0, "scriptsWithSrc": 0, "figures": {}, "rows": [], "elements": []}
    names = set()
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        name = local(el.tag)
        names.add(name)
        for attr, value in el.attrib.items():
            a = local(attr).lower()
            if a in URL_ATTRIBUTES or a.startswith("on") or (a == "style" and CSS_REFERENCE.search(value)):
                out["external"].append(f"{name}[{a}]={value}")
        if name in EXTERNAL_ELEMENTS:
            out["external"].append(f"<{name}>")
        if name == "meta" and el.attrib.get("http-equiv", "").lower() == "refresh":
            out["external"].append("meta refresh")
        if name == "style" and CSS_REFERENCE.search(el.text or ""):
            out["external"].append("css reference")
        if name == "script":
            out["scripts"] += 1
            if "src" in el.attrib:
                out["scriptsWithSrc"] += 1
        if name == "figure" and el.attrib.get("id"):
            out["figures"][el.attrib["id"]] = sum(1 for e in el.iter() if isinstance(e.tag, str) and local(e.tag) == "svg")
        if name == "table" and el.attrib.get("id") == "apps":
            for tr in el.iter():
                if isinstance(tr.tag, str) and local(tr.tag) == "tr":
                    cells = [c for c in tr if isinstance(c.tag, str) and local(c.tag) == "td"]
                    if cells:
                        out["rows"].append("".join(cells[0].itertext()))
    out["elements"] = sorted(names)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
