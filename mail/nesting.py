"""Keep deeply nested MIME away from the email package's recursive parser.

``email``'s feed parser descends one generator level per nested multipart or
message/* entity, and checks every line against every open boundary: a
message nested 1,000 levels deep raises RecursionError after a second of
work, and one nested 500 levels deep takes half a second. Before parsing,
``limit_nesting`` walks the raw lines once, the way the feed parser will, and
turns each multipart or message/* entity at the depth limit into an opaque
part of a marker type: the feed parser then never goes deeper, and the parts
below are left unread (they stay in the raw message the caller keeps).

The scan is only needed, and only run, when the message could be that deep:
when "multipart/" or "message/" occurs more often than the limit allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NESTING_TYPE = re.compile(rb"multipart/|message/", re.I)
_HEADER_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]+[ \t]*:")
_CONTENT_TYPE = re.compile(rb"content-type[ \t]*:", re.I)
_TYPE = re.compile(rb"content-type[ \t]*:\s*([a-z0-9!#$&^_.+-]+)\s*/\s*([a-z0-9!#$&^_.+-]+)", re.I)
_BOUNDARY = re.compile(rb"""[;\s]boundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))""", re.I)


@dataclass
class _Multipart:
    separator: bytes  # b"--" + boundary
    depth: int
    subtype: bytes


def limit_nesting(raw: bytes, max_depth: int, cut_type: str) -> tuple[bytes, int]:
    """``raw`` with entities at ``max_depth`` made opaque, and how many were."""
    for count, _match in enumerate(_NESTING_TYPE.finditer(raw), start=1):
        if count > max_depth:
            break
    else:
        return raw, 0
    lines = raw.splitlines(keepends=True)
    to_cut = _entities_to_cut(lines, max_depth)
    if not to_cut:
        return raw, 0
    for first_line, content_type_lines in to_cut:
        for number in content_type_lines:
            lines[number] = b"X-Cut-" + lines[number]
        # Inserted rather than substituted: a part of a digest is a message
        # without having any Content-Type line to substitute.
        ending = b"\r\n" if lines[first_line].endswith(b"\r\n") else b"\n"
        lines[first_line] = f"Content-Type: {cut_type}".encode("ascii") + ending + lines[first_line]
    return b"".join(lines), len(to_cut)


def _entities_to_cut(lines: list[bytes], max_depth: int) -> list[tuple[int, list[int]]]:
    """For each entity to make opaque: its first header line and its Content-Type lines."""
    open_multiparts: list[_Multipart] = []
    to_cut: list[tuple[int, list[int]]] = []
    in_headers = True
    header_start = 0
    depth = 0
    parent_subtype = b""  # of the multipart whose direct child the current entity is
    number = 0
    while number < len(lines):
        line = lines[number]
        if open_multiparts and line.startswith(b"--"):
            found = _match_boundary(line, open_multiparts)
            if found is not None:
                index, is_end = found
                owner = open_multiparts[index]
                del open_multiparts[index + (0 if is_end else 1) :]
                in_headers = not is_end
                header_start = number + 1
                depth = owner.depth + 1
                parent_subtype = owner.subtype
                number += 1
                continue
        if not in_headers:
            number += 1
            continue
        is_blank = not line.strip(b"\r\n")
        is_header = _HEADER_LINE.match(line) or (
            number > header_start and line[:1] in (b" ", b"\t")
        )
        if is_header and not is_blank:
            number += 1
            continue
        # The header block ends at a blank line, or (without one) at the first
        # line that is not a header, which then belongs to the body.
        block = lines[header_start:number]
        maintype, subtype, boundary = _content_type(block, parent_subtype)
        nests = (maintype == b"multipart" and boundary) or (
            maintype == b"message" and subtype != b"delivery-status"
        )
        in_headers = False
        if nests and depth >= max_depth:
            content_types = [
                header_start + i for i, text in enumerate(block) if _CONTENT_TYPE.match(text)
            ]
            to_cut.append((header_start, content_types))
        elif maintype == b"multipart" and boundary:
            open_multiparts.append(_Multipart(b"--" + boundary, depth, subtype))
        elif nests:
            # message/rfc822: the nested message's headers follow at once.
            in_headers = True
            header_start = number + (1 if is_blank else 0)
            depth += 1
            parent_subtype = b""
        number += 1 if is_blank else 0
    return to_cut


def _match_boundary(line: bytes, open_multiparts: list[_Multipart]) -> tuple[int, bool] | None:
    for index in range(len(open_multiparts) - 1, -1, -1):
        separator = open_multiparts[index].separator
        if not line.startswith(separator):
            continue
        rest = line[len(separator) :]
        is_end = rest.startswith(b"--")
        if is_end:
            rest = rest[2:]
        if not rest.strip(b" \t\r\n"):
            return index, is_end
    return None


def _content_type(block: list[bytes], parent_subtype: bytes) -> tuple[bytes, bytes, bytes]:
    unfolded = b"".join(block).replace(b"\r\n", b"\n").replace(b"\n ", b" ").replace(b"\n\t", b" ")
    for header in unfolded.split(b"\n"):
        found = _TYPE.match(header)
        if found:
            boundary = _BOUNDARY.search(header)
            value = (boundary.group(1) or boundary.group(2)) if boundary else b""
            return found.group(1).lower(), found.group(2).lower(), value.rstrip(b" \t")
    # RFC 2046 5.1.5: a part of a digest is a message unless it says otherwise.
    if parent_subtype == b"digest":
        return b"message", b"rfc822", b""
    return b"text", b"plain", b""
