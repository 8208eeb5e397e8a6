"""Parses Markdown with markdown-it-py (CommonMark, plus GitHub's tables and strikethrough) and prints, as JSON,
everything in it that could carry a repository's text out of inertness: headings, links and images, raw HTML,
@mentions outside code, and text a GitHub autolinker would turn into a link.

Usage: python markdown_audit.py < FILE.md
"""
import json
import re
import sys

from markdown_it import MarkdownIt

# GitHub's mention syntax: @login or @org/team, not preceded by a word character or a backtick.
MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?")
# GitHub's extended autolinks: a scheme URL or www. at a word start.
AUTOLINK = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|(?<![\w.])www\.)")
TAG = re.compile(r"<[^>]*>")


def audit(text):
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(text)
    out = {"headings": [], "links": [], "images": [], "html": [], "mentions": [], "autolinks": [], "blocks": []}

    def inline(children):
        for t in children:
            if t.type == "link_open":
                out["links"].append(t.attrs.get("href", ""))
            elif t.type == "image":
                out["images"].append(t.attrs.get("src", ""))
            elif t.type == "html_inline":
                out["html"].extend(TAG.findall(t.content) or [t.content])
            elif t.type == "text":
                out["mentions"].extend(MENTION.findall(t.content))
                out["autolinks"].extend(AUTOLINK.findall(t.content))

    for i, t in enumerate(tokens):
        out["blocks"].append(t.type)
        if t.type == "heading_open":
            out["headings"].append(tokens[i + 1].content if i + 1 < len(tokens) else "")
        elif t.type == "html_block":
            out["html"].extend(TAG.findall(t.content) or [t.content])
        elif t.type == "inline" and t.children:
            inline(t.children)
    return out


if __name__ == "__main__":
    print(json.dumps(audit(sys.stdin.read())))
