#!/usr/bin/env python3
"""Derive surnames.txt, middle_names.txt and given_names.txt (MIT).

Sources (both MIT, licence checked inside the packages):
  * npm  @faker-js/faker  (vi locale: person.last_name, person.first_name)
  * PyPI vnfaker          (vnfaker/data/person/*.name)

Usage (the packages are installed into a scratch directory, never vendored):

    npm install --prefix /tmp/vnsrc/npm @faker-js/faker@10.6.0
    pip download --no-deps -d /tmp/vnsrc/pip vnfaker==0.0.5
    python3 derive_names.py --faker /tmp/vnsrc/npm/node_modules/@faker-js/faker \
        --vnfaker /tmp/vnsrc/pip/vnfaker-0.0.5-py3-none-any.whl [--out ..]

The faker locale is read through `node` (its dist files are minified ES modules).
Every source entry is normalised (NFC, lower case, U+00D0 eth -> đ, tone mark
placed old-style: hòa, thủy), split into syllables where needed, de-duplicated,
and merged with the hand-written frequency orderings below, which come first:

  * surnames: published frequency order for the top 14 (Nguyễn ~38%, Trần ~11%,
    Lê ~9.5%, Phạm ~7%, Hoàng/Huỳnh ~5%, Phan ~4.5%, Vũ/Võ ~4%, Đặng ~2%, Bùi ~2%,
    Đỗ ~1.4%, Hồ ~1.3%, Ngô ~1.3%, Dương ~1%, Lý ~0.5%), then our estimate.
    Source surnames missing from the ordering are appended.
  * middle names: our ordering only; entries are kept only if at least one
    source attests them or they are in the ordering (the sources list ~360
    rare middle names, far more than wanted, so unattested extras are dropped).
  * given-name syllables: our ordering of the ~250 most common names and home
    nicknames first, then every other syllable seen in the sources, ordered by
    how many source names contain it (ties alphabetical).
"""
import argparse
import collections
import io
import json
import os
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vnlib import check_syllable, dedupe, normalize_entry, write_list  # noqa: E402

SURNAME_ORDER = """
nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý
đào đoàn đinh trương trịnh lâm mai lương hà cao lưu tô tạ phùng vương quách
thái châu kiều triệu tăng từ la hứa lại chu nông thân tống khúc kim phí mạc
ninh giang diệp khổng đồng đàm doãn nghiêm lã mã văn hàn lục lò cù chế chử
bạch bành hầu khương lỗ nhâm phó quan tôn trình ứng vi viên thạch sơn danh
lường cầm bế quàng sầm đèo tòng giàng sùng thào vừ lầu vàng hạng ma lộc hoa
tiêu tào thiều uông ung khuất kha lạc mẫn nhan nhữ phương quản thi trác đường
dư giáp đới lăng mạch mông ngụy viêm tất ông đậu biện cấn cung ôn bàn phàn
chảo đàng âu
""".split()
# compound surnames (kept whole)
SURNAME_COMPOUND = ["âu dương", "tôn thất", "tôn nữ"]

MIDDLE_ORDER = """
văn thị hữu đức minh ngọc thanh quốc xuân hoàng công đình trọng quang anh thu
kim mỹ bảo gia tuấn hồng thúy phương duy khánh thảo hải mạnh tiến viết bá đăng
huy trung như diệu tường thế cao thành lan hoài nhật phúc hà tấn trí vĩnh khắc
bích cẩm diễm yến mai tú quỳnh thùy ánh tâm thiện chí nam long huyền phi thái
việt sơn hoàn kiều vân tố uyên hạnh thục nguyệt linh lệ trường nguyên đắc hiếu
huệ phước tất nhã thiên an hương bình chấn kỳ sỹ hùng vũ khải
""".split()

GIVEN_ORDER = """
anh linh hương trang hà hùng dũng tuấn nam hằng ngọc huyền thảo hoa lan mai
thủy hạnh hiền hải minh long hưng cường thắng sơn đức phương nhung hòa trung
hiếu huy quân thành hoàng tùng duy khánh nga giang yến loan dung oanh vân
trinh thu liên tâm bình hiệp phúc tài thanh vy nhi tú my quỳnh châu tiến
việt bảo khoa đạt phong vinh lâm tân toàn thịnh hậu lộc thọ lợi nghĩa kiên
chiến thái hào hân ngân nhàn thư uyên vũ lực luân quang thiện nhân khải khang
khôi kiệt phát tín trí tấn an ân diệp như ly trâm tuyết tuyền diễm kiều xuân
hồng nguyệt ánh hường thơm thắm chi diệu hảo hoài trọng định hiển lương tuệ
bích hoan duyên thúy nhật đông thông vương hội trường hợp lam thiên lý sang
sáng phụng phượng tuyến nguyên tính trúc đào cúc huệ mạnh hữu quý quyên hiên
thuận tường dương sinh chinh chính khiêm kim vượng nhã quế tuyên xoan
bi bin bon bống ken su na mít tôm tép cún sóc bo bờm cốm gấu nhím út tí tèo
bông bơ bắp xu xíu
tươi lành sen lụa nụ ngát huế mận tình nhạn lài mừng tám tư
""".split()

# syllables seen in the sources that are not given names in their own right
GIVEN_EXCLUDE = {"nguyễn", "nguyết", "bữu"}  # a surname; two apparent typos (nguyệt, bửu)


def load_faker(faker_dir):
    index = os.path.join(os.path.abspath(faker_dir), "dist", "index.js")
    js = ("import { vi } from %s; console.log(JSON.stringify(vi.person));" % json.dumps(index))
    out = subprocess.run(["node", "--input-type=module", "-e", js], check=True,
                         capture_output=True, text=True).stdout
    person = json.loads(out)
    with open(os.path.join(faker_dir, "package.json"), encoding="utf-8") as f:
        meta = json.load(f)
    last = [n for v in person["last_name"].values() for n in v]
    first = [n for v in person["first_name"].values() for n in v]
    return meta["version"], meta.get("license"), last, first


def load_vnfaker(path):
    files = {}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("vnfaker/data/person/") and name.endswith(".name"):
                    files[os.path.basename(name)] = z.read(name).decode("utf-8")
                if name.endswith(".dist-info/METADATA"):
                    meta = z.read(name).decode("utf-8")
    else:
        d = os.path.join(path, "vnfaker", "data", "person")
        for name in os.listdir(d):
            if name.endswith(".name"):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    files[name] = f.read()
        meta = ""
        for entry in os.listdir(path):
            if entry.endswith(".dist-info"):
                with open(os.path.join(path, entry, "METADATA"), encoding="utf-8") as f:
                    meta = f.read()
    version = next((l.split(":", 1)[1].strip() for l in meta.splitlines() if l.startswith("Version:")), "?")
    lic = "MIT" if "License :: OSI Approved :: MIT License" in meta else "?"
    lines = {k: [l for l in v.splitlines() if l.strip()] for k, v in files.items()}
    return version, lic, lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--faker", required=True, help="path to node_modules/@faker-js/faker")
    ap.add_argument("--vnfaker", required=True, help="vnfaker wheel or unpacked wheel directory")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    a = ap.parse_args()

    fk_ver, fk_lic, fk_last, fk_first = load_faker(a.faker)
    vn_ver, vn_lic, vn = load_vnfaker(a.vnfaker)
    if fk_lic != "MIT" or vn_lic != "MIT":
        sys.exit("unexpected licence: faker %s, vnfaker %s" % (fk_lic, vn_lic))

    # ---- surnames
    src_surnames = dedupe(normalize_entry(x) for x in fk_last + vn["first.name"] + vn["last.name"])
    own = dedupe([normalize_entry(x) for x in SURNAME_ORDER] + SURNAME_COMPOUND)
    surnames = dedupe(own + sorted(set(src_surnames) - set(own)))
    attested_s = sum(1 for s in surnames if s in set(src_surnames))

    # ---- middle names
    src_middle = set(normalize_entry(x) for x in vn["male_middle.name"] + vn["female_middle.name"])
    for n in fk_first:  # first syllable of a faker compound is usually a middle name
        parts = normalize_entry(n).split()
        if len(parts) == 2:
            src_middle.add(parts[0])
    middle = dedupe(normalize_entry(x) for x in MIDDLE_ORDER)
    attested_m = sum(1 for m in middle if m in src_middle)

    # ---- given-name syllables
    counts = collections.Counter()
    for n in fk_first + vn["male.name"] + vn["female.name"]:
        for syl in normalize_entry(n).split():
            counts[syl] += 1
    head = dedupe(normalize_entry(x) for x in GIVEN_ORDER)
    rest = sorted((s for s in counts if s not in set(head) and s not in GIVEN_EXCLUDE),
                  key=lambda s: (-counts[s], s))
    given = dedupe(head + rest)
    attested_g = sum(1 for g in given if g in counts)

    for name, lst in (("surnames", surnames), ("middle", middle), ("given", given)):
        for e in lst:
            for syl in e.split():
                err = check_syllable(syl)
                if err:
                    print("WARN %s: %r: %s" % (name, e, err), file=sys.stderr)

    src = "@faker-js/faker %s (MIT) vi locale + PyPI vnfaker %s (MIT) data/person" % (fk_ver, vn_ver)
    write_list(os.path.join(a.out, "surnames.txt"), [
        "Vietnamese family names, most common first (rank = line order).",
        "Source: " + src + "; ordering: published surname shares for the top 14, then matkhau's estimate.",
        "Generated by scripts/derive_names.py. Licence: MIT (matkhau; source data MIT).",
    ], surnames)
    write_list(os.path.join(a.out, "middle_names.txt"), [
        "Common Vietnamese middle names (tên đệm), most common first (rank = line order).",
        "Source: matkhau's ordering checked against " + src + ".",
        "Generated by scripts/derive_names.py. Licence: MIT (matkhau; source data MIT).",
    ], middle)
    write_list(os.path.join(a.out, "given_names.txt"), [
        "Vietnamese given-name syllables (and home nicknames), most common first (rank = line order).",
        "Source: matkhau's ordering for the head, then syllables of " + src + " by occurrence count.",
        "Generated by scripts/derive_names.py. Licence: MIT (matkhau; source data MIT).",
    ], given)
    print("faker %s, vnfaker %s" % (fk_ver, vn_ver))
    print("surnames %d (%d attested in sources, %d source-only appended)"
          % (len(surnames), attested_s, len(set(src_surnames) - set(own))))
    print("middle_names %d (%d attested in sources)" % (len(middle), attested_m))
    print("given_names %d (%d attested in sources, head %d)" % (len(given), attested_g, len(head)))


if __name__ == "__main__":
    main()
