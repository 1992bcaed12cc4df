"""Where a node's text ends, for edits that splice lines into a YAML file instead of re-emitting it (rotation_edit,
record_edit): the bytes around a splice stay as the clerk wrote them."""

from __future__ import annotations

import yaml


def deepest_end(node: yaml.Node) -> int:
    """Where the last scalar of `node` ends (a block mapping's own end mark runs on to the next line)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark.index


def line_after(text: str, index: int) -> int:
    """The start of the line after the one `index` is on (a trailing comment stays with its line)."""
    if index > 0 and text[index - 1] in "\r\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1
