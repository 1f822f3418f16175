"""Small Vietnamese spelling helpers for the matkhau data files (MIT).

- ``normalize_entry``: NFC, lower case, U+00D0/U+00F0 (Icelandic eth, common in
  scraped name lists) to đ, single spaces, tone mark moved to its conventional
  ("old style") place: hòa, khỏe, thủy (not hoà, khoẻ, thuỷ).
- ``check_syllable``: returns None if a syllable is a well-formed Vietnamese
  syllable (onset + rhyme from the standard inventory, stop-final syllables
  only with sắc/nặng, tone on the right vowel), else a short reason.
"""
import re
import unicodedata

TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
VOWELS = set("aăâeêioôơuưy")

ONSETS = ["ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x"]

RHYMES = set("""
a ai ao au ay am an ang anh ac ach ap at
ăm ăn ăng ăc ăp ăt
âu ây âm ân âng âc âp ât
e eo em en eng ec ep et
ê êu êm ên ênh êch êp êt
i ia iu im in inh ich ip it
iêu iêm iên iêng iêc iêp iêt
o oi om on ong oc op ot oong ooc
oa oai oay oan oang oanh oac oach oat oam oap oăn oăng oăc oăt oăm
oe oeo oen oet
ô ôi ôm ôn ông ôc ôp ôt
ơ ơi ơm ơn ơp ơt
u ua ui um un ung uc up ut
uân uâng uât uây uê uênh uêch uy uya uyu uych uynh uyt uyn uyên uyêt
uô uôi uôm uôn uông uôc uôt uơ
ư ưa ưi ưu ưng ưc ưt ưm ưn
ươ ươi ươu ươm ươn ương ươc ươp ươt
y yêu yên yêm yêt yêng
""".split())

STOPS = ("p", "t", "c", "ch")


def split_tone(syl):
    """Return (base syllable without tone mark, tone mark or '')."""
    d = unicodedata.normalize("NFD", syl)
    tone = ""
    out = []
    for ch in d:
        if ch in TONES:
            tone = ch
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tone


def _parse(base):
    """Split a toneless syllable into onset, rhyme. Returns None if impossible."""
    onset = ""
    for o in ONSETS:
        if base.startswith(o):
            onset = o
            break
    rhyme = base[len(onset):]
    if onset == "gi" and (not rhyme or rhyme[0] not in VOWELS or rhyme[0] == "ê"):
        # gì, gìn, giêng: the i belongs to the rhyme
        onset, rhyme = "g", base[1:]
    return onset, rhyme


def _tone_index(onset, rhyme):
    """Index into rhyme of the vowel that carries the tone (old style)."""
    m = re.match(r"^([aăâeêioôơuưy]+)(.*)$", rhyme)
    if not m:
        return None
    cluster, final = m.group(1), m.group(2)
    # a vowel with its own mark takes the tone (ươ: on ơ)
    marked = [i for i, ch in enumerate(cluster) if ch in "ăâêôơư"]
    if marked:
        return marked[-1]
    if len(cluster) == 1:
        return 0
    if final:
        return len(cluster) - 1
    if len(cluster) == 3:
        return 1
    # open two-vowel rhyme: old style puts the tone on the first vowel (hòa, thủy, mía)
    return 0


def _place(onset, rhyme, tone):
    if not tone:
        return onset + rhyme
    idx = _tone_index(onset, rhyme)
    if idx is None:
        return None
    r = rhyme[:idx] + unicodedata.normalize("NFC", rhyme[idx] + tone) + rhyme[idx + 1:]
    return onset + r


def canonical_syllable(syl):
    """Return the syllable with the tone mark in its conventional place (or unchanged)."""
    base, tone = split_tone(syl)
    parsed = _parse(base)
    if not parsed or not tone:
        return unicodedata.normalize("NFC", syl)
    onset, rhyme = parsed
    placed = _place(onset, rhyme, tone)
    return placed if placed else unicodedata.normalize("NFC", syl)


def check_syllable(syl):
    base, tone = split_tone(syl)
    if not base or not all(ch.isalpha() for ch in base):
        return "non-letter"
    onset, rhyme = _parse(base)
    r = rhyme
    if onset == "qu":
        if rhyme.startswith("u") or not rhyme:
            return "quu"
        r = rhyme if rhyme in RHYMES else "u" + rhyme
    if onset == "gi" and rhyme.startswith("i"):
        return "gii"
    if r not in RHYMES:
        return "rhyme '%s'" % rhyme
    if onset in ("k", "gh", "ngh") and not rhyme[:1] in ("i", "e", "ê", "y"):
        return "onset %s before %s" % (onset, rhyme[:1])
    if onset in ("c", "g", "ng") and rhyme[:1] in ("i", "e", "ê") and not (onset == "g" and rhyme.startswith("i")):
        return "onset %s before %s" % (onset, rhyme[:1])
    if rhyme.endswith(STOPS) and tone not in ("\u0301", "\u0323"):
        return "stop final needs sắc/nặng"
    if tone and _place(onset, rhyme, tone) != unicodedata.normalize("NFC", syl):
        return "tone placement (expected %s)" % _place(onset, rhyme, tone)
    return None


def normalize_entry(s):
    s = s.replace("\u00d0", "Đ").replace("\u00f0", "đ")
    s = unicodedata.normalize("NFC", s).strip().lower()
    s = re.sub(r"\s+", " ", s)
    return " ".join(canonical_syllable(x) for x in s.split(" "))


def read_list(path):
    """Entries of a data file (comments and blank lines skipped)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            out.append(line)
    return out


def write_list(path, header_lines, entries):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header_lines:
            f.write("# " + h + "\n" if h else "#\n")
        for e in entries:
            f.write(e + "\n")


def dedupe(entries):
    seen = set()
    out = []
    for e in entries:
        if e and e not in seen:
            seen.add(e)
            out.append(e)
    return out
