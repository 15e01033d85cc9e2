"""Golden Python string semantics per code point: python make_unicode.py  ->  unicode.json.gz

Ranges of code points for which Python 3.11's str predicates hold, the regex module's classes,
and every character whose str.lower()/str.upper() is not itself.
"""

import gzip
import json
from pathlib import Path

import regex

CODES = [code for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]


def ranges(predicate):
    out, start, previous = [], None, None
    for code in CODES:
        if predicate(chr(code)):
            if start is None or code != previous + 1:
                if start is not None:
                    out.append([start, previous])
                start = code
            previous = code
    if start is not None:
        out.append([start, previous])
    return out


def matcher(pattern):
    compiled = regex.compile(pattern)
    return lambda char: compiled.match(char) is not None


golden = {
    name: ranges(predicate)
    for name, predicate in [
        ("isspace", str.isspace),
        ("isalpha", str.isalpha),
        ("isupper", str.isupper),
        ("isdecimal", str.isdecimal),
        ("isdigit", str.isdigit),
        ("isalnum", str.isalnum),
        ("isprintable", str.isprintable),
        ("regex_L", matcher(r"\p{L}")),
        ("regex_N", matcher(r"\p{N}")),
        ("regex_M", matcher(r"\p{M}")),
        ("regex_s", matcher(r"\s")),
    ]
}
golden["lower"] = [[code, chr(code).lower()] for code in CODES if chr(code).lower() != chr(code)]
golden["upper"] = [[code, chr(code).upper()] for code in CODES if chr(code).upper() != chr(code)]
golden["decimal"] = [[code, int(chr(code))] for code in CODES if chr(code).isdecimal()]
with gzip.open(Path(__file__).parent / "unicode.json.gz", "wt", encoding="utf-8") as handle:
    json.dump(golden, handle)
