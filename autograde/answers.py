"""A student's answers as plain data: how they leave the student's kernel and are read back.

Grading never runs a hidden test where student code ran. Where the notebook had a test cell,
the student's kernel runs only :func:`harvest_code`, which hands the values of the names
that test uses to :func:`emit`; :func:`emit` writes them as JSON in a display output of its
own type. The grader then reads that output with :func:`read` as *untrusted data*: only
text, numbers, booleans, None, the blank ``...`` and lists, tuples, sets and dicts of them,
within size and depth limits. Anything else (a function, a module, an object, a value too
big) becomes :class:`NotAnAnswer`, which scores zero with a plain message.

Student code can change what ``emit`` sends, but only for its own answers: nothing it sends
is ever run, and a value can do no more than a typed answer could.
"""
from __future__ import annotations

import json
import keyword
import numbers
from dataclasses import dataclass

MIME = "application/vnd.medcode.answers+json"
MAX_ANSWER_BYTES = 64 * 1024
MAX_OUTPUT_BYTES = 1024 * 1024
MAX_DEPTH = 12
MISSING = ["missing"]

_PLAIN = {type(None): "none", bool: "bool", str: "str"}
_SEQUENCES = {list: "list", tuple: "tuple", set: "set", frozenset: "set"}


@dataclass(frozen=True)
class NotAnAnswer:
    """A graded name whose value cannot be an answer, and what it holds instead."""
    what: str

    def message(self, name: str) -> str:
        return (f"{name} holds {self.what}, not an answer. An answer is text in quotes, a "
                "number, a list in square brackets or a form in curly braces.")


# --------------------------------------------------------------- in the student's kernel

def _kind(value) -> str:
    if callable(value):
        return "a function"
    if type(value).__name__ == "module":
        return "a module"
    return f"a value of type {type(value).__name__}"


def encode(value, depth: int = 0):
    """``value`` as a tagged JSON tree: ``[tag, payload]``; ``["not", what]`` if no answer."""
    if depth > MAX_DEPTH:
        return ["not", "a value nested too deeply"]
    if value is Ellipsis:
        return ["blank"]
    for kind, tag in _PLAIN.items():
        if isinstance(value, kind):
            return [tag, kind(value) if kind is not type(None) else None]
    if isinstance(value, numbers.Integral):
        return ["int", int(value)]
    if isinstance(value, numbers.Real):
        return ["float", float(value)]
    for kind, tag in _SEQUENCES.items():
        if isinstance(value, kind):
            items = sorted(value, key=repr) if tag == "set" else value
            return [tag, [encode(item, depth + 1) for item in items]]
    if isinstance(value, dict):
        return ["dict", [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]]
    return ["not", _kind(value)]


def _sized(node) -> list:
    text = json.dumps(node)
    return node if len(text) <= MAX_ANSWER_BYTES else [
        "not", f"a value too big to grade (over {MAX_ANSWER_BYTES // 1024} KB)"]


def emit(values: dict) -> None:
    """Send the named values out of the kernel as one display output of type :data:`MIME`."""
    from IPython.display import publish_display_data

    payload = {}
    for name, value in values.items():
        try:
            payload[name] = MISSING if value is MISSING else _sized(encode(value))
        except Exception as error:  # noqa: BLE001  (a value whose own methods fail)
            payload[name] = ["not", f"a value that could not be read ({type(error).__name__})"]
    publish_display_data({MIME: json.dumps(payload)})


def harvest_code(names) -> str:
    """The code the kernel runs in place of a test cell: send the values of ``names``."""
    names = sorted(names)
    if not all(name.isidentifier() and not keyword.iskeyword(name) for name in names):
        raise ValueError(f"not names: {names}")
    lookup = ", ".join(f"{name!r}: globals().get({name!r}, __answers.MISSING)" for name in names)
    return ("import autograde.answers as __answers\n"
            f"__answers.emit({{{lookup}}})\n"
            "del __answers")


# --------------------------------------------------------------- in the trusted grader

class Unreadable(ValueError):
    """What a kernel sent cannot be read as answers."""


_LEAVES = {"bool": bool, "str": str}


def _decode(node, depth: int = 0):
    if depth > MAX_DEPTH + 1 or not isinstance(node, list) or not node:
        raise Unreadable("not a tagged value")
    tag, payload = node[0], node[1] if len(node) > 1 else None
    if tag == "blank":
        return Ellipsis
    if tag == "not":
        return NotAnAnswer(str(payload)[:200])
    if tag == "none":
        return None
    if tag in _LEAVES and isinstance(payload, _LEAVES[tag]):
        return payload
    if tag == "int" and isinstance(payload, int) and not isinstance(payload, bool):
        return payload
    if tag == "float" and isinstance(payload, (int, float)) and not isinstance(payload, bool):
        return float(payload)
    if tag in ("list", "tuple", "set") and isinstance(payload, list):
        items = [_decode(item, depth + 1) for item in payload]
        return _container(tag, items)
    if tag == "dict" and isinstance(payload, list):
        pairs = [(_decode(pair[0], depth + 1), _decode(pair[1], depth + 1))
                 for pair in payload if isinstance(pair, list) and len(pair) == 2]
        if len(pairs) != len(payload):
            raise Unreadable("a dict entry is not a pair")
        return _container("dict", pairs)
    raise Unreadable(f"unknown tag {str(tag)[:20]!r}")


def _container(tag: str, items: list):
    """Build a container, or NotAnAnswer when it holds something that is not an answer."""
    inner = [x for item in items for x in (item if tag == "dict" else (item,))]
    bad = next((x for x in inner if isinstance(x, NotAnAnswer)), None)
    if bad is not None:
        return bad
    try:
        return {"list": list, "tuple": tuple, "set": set, "dict": dict}[tag](items)
    except TypeError:  # a key or set member that cannot be hashed
        return NotAnAnswer("a value with a list where only text or numbers may stand")


def read(outputs, names) -> dict:
    """The answers a harvest cell sent: {name: value or NotAnAnswer}; missing names left out.

    ``outputs`` are the cell's outputs as the kernel produced them (untrusted). Raises
    :class:`Unreadable` when none of them is an answers payload that can be read.
    """
    texts = [o.get("data", {}).get(MIME) for o in outputs if o.get("output_type") == "display_data"]
    texts = [t for t in texts if isinstance(t, str)]
    if not texts:
        raise Unreadable("the answers were not sent")
    text = texts[-1]
    if len(text) > MAX_OUTPUT_BYTES:
        raise Unreadable("the answers sent are too big")
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        raise Unreadable("the answers sent are not readable JSON") from None
    if not isinstance(payload, dict):
        raise Unreadable("the answers sent are not a table of names")
    found = {}
    for name in names:
        node = payload.get(name, MISSING)
        if node != MISSING:
            found[name] = _decode(node)
    return found
