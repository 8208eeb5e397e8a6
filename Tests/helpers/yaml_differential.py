#!/usr/bin/env python3
"""For each file: compose it with PyYAML's C loader (libyaml underneath, YAML 1.1 resolution) and print, per
plain or quoted scalar, where it is and what PyYAML makes of it. The Swift test compares that with tiergate's
YAML 1.2 reading. Output: one JSON object per file, {"path", "ok", "scalars": [[line, column, plain, kind, value]]}."""
import datetime
import json
import resource
import signal
import sys

import yaml

assert yaml.__with_libyaml__, "PyYAML must have its C loader (libyaml)"


class Loader(yaml.CSafeLoader):
    pass


def kind_and_value(node, constructor):
    try:
        v = constructor.construct_object(node, deep=True)
    except Exception:
        # A type PyYAML resolves but cannot construct: it would refuse the document. The test checks that
        # tiergate flags such a scalar.
        return "error", None
    if v is None:
        return "null", None
    if isinstance(v, bool):
        return "bool", v
    if isinstance(v, int):
        return "int", str(v)  # as text: PyYAML ints are unbounded
    if isinstance(v, float):
        return "float", repr(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return "timestamp", v.isoformat()
    if isinstance(v, bytes):
        return "binary", None
    return "str", str(v)


def main():
    # Alias bombs make PyYAML build huge values: cap memory and time, and count such files as not accepted.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError()))
    for path in sys.argv[1:]:
        signal.alarm(5)
        out = {"path": path, "ok": True, "scalars": []}
        try:
            with open(path, "rb") as f:
                data = f.read()
            loader = Loader(data)
            try:
                while loader.check_node():
                    root = loader.get_node()
                    if root is None:
                        continue
                    stack = [root]
                    seen = set()  # aliases share nodes: visit each once (an alias bomb stays small)
                    while stack:
                        node = stack.pop()
                        if id(node) in seen:
                            continue
                        seen.add(id(node))
                        if isinstance(node, yaml.ScalarNode):
                            k, v = kind_and_value(node, loader)
                            out["scalars"].append([node.start_mark.line + 1, node.start_mark.column + 1, node.style in (None, ""), k, v])
                        elif isinstance(node, yaml.SequenceNode):
                            stack.extend(node.value)
                        elif isinstance(node, yaml.MappingNode):
                            for key, value in node.value:
                                stack.append(key)
                                stack.append(value)
            finally:
                loader.dispose()
        except BaseException as e:  # not accepted by PyYAML (or too big for it): nothing to compare
            if isinstance(e, KeyboardInterrupt):
                raise
            out = {"path": path, "ok": False, "error": type(e).__name__, "scalars": []}
        signal.alarm(0)
        print(json.dumps(out))


if __name__ == "__main__":
    main()
