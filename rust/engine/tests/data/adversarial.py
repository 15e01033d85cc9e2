"""Random and adversarial strings shared by the golden-data scripts (seeded: reproducible)."""

import random

PIECES = [
    "a", "Z", "word", "Word", "WORD", "café", "cafe\u0301", "naïve", "e.g.", "U.S.", "i.e", "A.B.C.",
    "0", "7", "12", "3.14", "2,000", "10:30", "1/2", "1st", "2nd", "3rd", "4th", "90s", "5sth",
    "'", "\u2019", "\u02bc", "\u2018", "don't", "dogs'", "rock\u2019n\u2019roll", "l'", "'tis",
    "-", "--", "well-known", "3-4", "-x", "x-", " - ", "\u2013", "\u2014", "\u2026", "...", "?!",
    " ", "  ", "\n", "\t", "\r\n", "\x1c", "\x1f", "\xa0", "\u2009", "\u3000", "\x85", "\u200b",
    "http://example.com/a?b=c.", "https://x.org/path).", "www.foo.bar,", "http://", "www.",
    "https://a.b/c'd", "john.smith@example.co.uk", "a@b", "x@y.z.", "-@-.-", "@", "%+_",
    "{", "}", "|", "{big|large}", "{hardware}", "{a|}", "{'page': 2}", "(", ")", "[", "]",
    "\u03a3", "\u03c3", "\u03c2", "\u039f\u0394\u039f\u03a3", "\u0130", "\u0131", "\xdf", "\ufb01",
    "\u01c5", "\u1e9e", "\u0345", "\u0301", "\u0308", "\u20dd", "\u0915\u093e", "\u0663\u0664",
    "\xb2", "\u2460", "\u2167", "\xbd", "\u4e00\u4e8c", "\u3042", "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627", "\U0001f600", "\u200d", "\u00ad", "\ua7cb", "\U00016ea0",
    "\U0001e6c0", "\u019b", "\u0264", "\u1c89", "\U0001d7ce\U0001d7cf", "\uff21\uff22", "\uff10",
    ",", ";", ":", "!", "?", ".", "\"", "\u201c", "\u201d", "<", ">", "&", "#", "*", "/", "\\",
]


def random_char(rng):
    while True:
        code = rng.randrange(0x110000) if rng.random() < 0.3 else rng.randrange(0x3400)
        if not 0xD800 <= code <= 0xDFFF:
            return chr(code)


def strings(count=400, seed=1234):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randrange(1, 25)):
            parts.append(random_char(rng) if rng.random() < 0.15 else rng.choice(PIECES))
            if rng.random() < 0.4:
                parts.append(" ")
        out.append("".join(parts))
    return out
