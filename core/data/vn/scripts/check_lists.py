#!/usr/bin/env python3
"""Check the Vietnamese data files (MIT). Exit status 1 on any hard error.

Hard errors: not NFC, not lower case, duplicates, forbidden characters,
missing header comment, entry count outside the target range, more than
3 syllables in words.txt, a tone mark off its conventional place.
Warnings (printed, not fatal): syllables outside the standard Vietnamese
inventory (teen code, acronyms, brand names, official minority spellings).
"""
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vnlib import check_syllable  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

# file: (min, max, entry pattern, max syllables or None, syllable check)
FILES = {
    "surnames.txt": (100, 150, r"[^\W\d_]+( [^\W\d_]+)*", None, True),
    "middle_names.txt": (50, 100, r"[^\W\d_]+", 1, True),
    "given_names.txt": (400, 700, r"[^\W\d_]+", 1, True),
    "places.txt": (150, 250, r"[^\W\d_]+( [^\W\d_]+)*", None, True),
    "words.txt": (2000, 4000, r"[^\W\d_]+( [^\W\d_]+)*", 3, True),
    "portal.txt": (50, 150, r"[^\W\d_]+( [^\W\d_]+)*", None, True),
    "passwords.txt": (300, 600, r"[\x21-\x7e]+", None, False),
}


def main():
    errors = 0
    total = 0
    print("%-18s %7s  %s" % ("file", "entries", "notes"))
    for name, (lo, hi, pat, maxsyl, sylcheck) in FILES.items():
        path = os.path.join(HERE, name)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        header = [l for l in lines[:4] if l.startswith("#")]
        entries = [l for l in lines if l and not l.startswith("#")]
        errs = []
        if len(header) < 2:
            errs.append("header comment missing")
        if any(not l for l in lines):
            errs.append("blank line")
        seen = {}
        for i, e in enumerate(entries):
            if unicodedata.normalize("NFC", e) != e:
                errs.append("not NFC: %r" % e)
            if e != e.lower():
                errs.append("not lower case: %r" % e)
            if not re.fullmatch(pat, e):
                errs.append("bad characters: %r" % e)
            if maxsyl and len(e.split(" ")) > maxsyl:
                errs.append("too many syllables: %r" % e)
            if e in seen:
                errs.append("duplicate: %r (lines %d, %d)" % (e, seen[e] + 1, i + 1))
            seen[e] = i
        if not lo <= len(entries) <= hi:
            errs.append("count %d outside %d-%d" % (len(entries), lo, hi))
        odd = []
        if sylcheck:
            for e in entries:
                for syl in e.split(" "):
                    r = check_syllable(syl)
                    if r and r.startswith("tone placement"):
                        errs.append("%r: %s" % (e, r))
                    elif r:
                        odd.append(syl)
        note = "ok" if not errs else "%d error(s)" % len(errs)
        if odd:
            note += "; %d non-standard syllable(s): %s" % (
                len(set(odd)), " ".join(sorted(set(odd))))
        print("%-18s %7d  %s" % (name, len(entries), note))
        for e in errs[:20]:
            print("    ERROR " + e)
        errors += len(errs)
        total += len(entries)
    print("%-18s %7d" % ("total", total))
    print("all files ok" if not errors else "check failed: %d error(s)" % errors)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
