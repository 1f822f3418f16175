#!/usr/bin/env python3
"""Generate the labelled password corpus for matkhau (tests/corpus/passwords.jsonl).

Deterministic: every category draws from its own `random.Random(f"{SEED}:{category}")`, all lists are
plain Python lists (no set iteration), so running this script rewrites passwords.jsonl byte for byte.

Every password, weak or strong, passes the portal's composition rule (8..64 characters, an upper-case
letter, a lower-case letter, a digit and a special character, i.e. anything that is neither a letter nor
a digit; a space counts). The `weak` ones are weak because of *what* they are built from (names, dates,
phone numbers, ID numbers, Vietnamese phrases, Telex keystrokes, l33t, places, the portal's own words,
keyboard walks, lucky numbers, the user's own data), not because of their shape.

All word and name lists below were written by hand for matkhau (MIT); nothing is downloaded.

Usage:  python3 tests/corpus/generate.py            # rewrite passwords.jsonl and print the counts
        python3 tests/corpus/generate.py --check    # only validate the existing file
"""

import calendar
import json
import os
import random
import sys
import unicodedata
from pathlib import Path

# CORPUS_SEED and CORPUS_OUT draw a re-sampled corpus elsewhere (same vocabulary, other draws).
SEED = int(os.environ.get("CORPUS_SEED", "20250923"))
HERE = Path(__file__).resolve().parent
OUT = Path(os.environ.get("CORPUS_OUT", HERE / "passwords.jsonl"))

# Target number of entries per category (hand-written entries count towards the target).
WEAK_TARGETS = {
    "name_year": 32,
    "name_date": 32,
    "date": 32,
    "phone": 32,
    "id_number": 32,
    "vn_phrase": 32,
    "vn_diacritics": 32,
    "telex_vni": 32,
    "leet": 32,
    "place": 32,
    "portal": 32,
    "keyboard_classic": 32,
    "lucky_digits": 32,
    "personal": 52,
    "combo": 32,
}
STRONG_TARGETS = {
    "strong_random": 50,
    "strong_passphrase_vi": 50,
    "strong_passphrase_en": 50,
    "strong_mixed": 50,
}
CONTEXT_FIELDS = ["username", "full_name", "email", "phone", "date_of_birth", "national_id",
                  "social_insurance_code", "org_code", "extra"]


# ----------------------------------------------------------------------------------------------------
# Text helpers
# ----------------------------------------------------------------------------------------------------

def nfc(s):
    return unicodedata.normalize("NFC", s)


def fold(s):
    """Remove Vietnamese diacritics (đ -> d)."""
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def cap(w):
    return w[:1].upper() + w[1:].lower() if w else w


def composition_ok(p):
    if not (8 <= len(p) <= 64):
        return False
    upper = any(c.isupper() for c in p)
    lower = any(c.islower() for c in p)
    digit = any(c in "0123456789" for c in p)
    special = any(not (c.isalpha() or c.isdigit()) for c in p)
    return upper and lower and digit and special


SPECIALS = ["@", "#", "!", ".", "_", "*", "&", "$", "-", "%", "?", "+", "~", "^"]
SPECIAL_W = [40, 12, 14, 8, 7, 5, 3, 3, 3, 2, 1, 1, 1, 1]


def special(rng):
    return rng.choices(SPECIALS, SPECIAL_W)[0]


def ensure_comp(p, rng):
    """Add what the composition rule still misses, the way people do it."""
    if not any(c.isupper() for c in p):
        r = rng.random()
        idx = next((i for i, c in enumerate(p) if c.isalpha()), None)
        if idx is not None and r < 0.8:
            p = p[:idx] + p[idx].upper() + p[idx + 1:]
        elif r < 0.9:
            p = rng.choice(["A", "Aa", "Ab"]) + p
        else:
            p = p + rng.choice(["A", "Aa", "Ab"])
    if not any(c.islower() for c in p):
        p = p + rng.choice(["a", "a", "ab", "x", "abc"]) if rng.random() < 0.7 else rng.choice(["a", "Ab", "Aa"]) + p
    if not any(c in "0123456789" for c in p):
        p = p + rng.choice(["1", "1", "12", "123", "01", "9", "99", "2024", "2025", "1234"])
    if not any(not (c.isalpha() or c.isdigit()) for c in p):
        sp = special(rng)
        r = rng.random()
        first_digit = next((i for i, c in enumerate(p) if c.isdigit()), None)
        if r < 0.55 and first_digit not in (None, 0):
            p = p[:first_digit] + sp + p[first_digit:]
        elif r < 0.85:
            p = p + sp
        else:
            p = sp + p
    return p


def style_words(words, rng, seps=("", "", "", "", ".", "_", "-", " ")):
    """Join word tokens with a realistic case style and separator."""
    mode = rng.choices(["cap", "camel", "lower", "upper1", "allcap_one"], [38, 32, 18, 4, 8])[0]
    if mode == "cap":
        ws = [cap(words[0])] + [w.lower() for w in words[1:]]
    elif mode == "camel":
        ws = [cap(w) for w in words]
    elif mode == "lower":
        ws = [w.lower() for w in words]
    elif mode == "upper1":
        ws = [w.upper() if i == 0 else w.lower() for i, w in enumerate(words)]
    else:
        k = rng.randrange(len(words))
        ws = [w.upper() if i == k else cap(w) for i, w in enumerate(words)]
    sep = rng.choice(seps)
    return sep.join(ws)


def year(rng, lo=1940, hi=2030):
    # people born 1955-2008 dominate; current years too
    r = rng.random()
    if r < 0.75:
        return rng.randint(max(lo, 1955), min(hi, 2008))
    if r < 0.9:
        return rng.randint(2018, min(hi, 2030))
    return rng.randint(lo, hi)


def year_str(rng, y=None):
    y = y if y is not None else year(rng)
    return str(y) if rng.random() < 0.6 else "%02d" % (y % 100)


def rand_date(rng, y=None):
    y = y if y is not None else year(rng)
    m = rng.randint(1, 12)
    d = rng.randint(1, calendar.monthrange(y, m)[1])
    return d, m, y


def fmt_date(d, m, y, rng, fmts=None):
    fmts = fmts or ["ddmmyyyy", "ddmmyyyy", "ddmmyy", "ddmmyy", "dd/mm/yyyy", "dd.mm.yy", "dd-mm-yyyy",
                    "d/m/yyyy", "dmyyyy", "ddmm", "dd.mm.yyyy", "d.m.yy", "dd_mm_yyyy", "yyyymmdd",
                    "dd/mm"]
    f = rng.choice(fmts)
    yy = "%02d" % (y % 100)
    return {
        "ddmmyyyy": "%02d%02d%d" % (d, m, y),
        "ddmmyy": "%02d%02d%s" % (d, m, yy),
        "dd/mm/yyyy": "%02d/%02d/%d" % (d, m, y),
        "dd.mm.yy": "%02d.%02d.%s" % (d, m, yy),
        "dd-mm-yyyy": "%02d-%02d-%d" % (d, m, y),
        "d/m/yyyy": "%d/%d/%d" % (d, m, y),
        "dmyyyy": "%d%d%d" % (d, m, y),
        "ddmm": "%02d%02d" % (d, m),
        "dd.mm.yyyy": "%02d.%02d.%d" % (d, m, y),
        "d.m.yy": "%d.%d.%s" % (d, m, yy),
        "dd_mm_yyyy": "%02d_%02d_%d" % (d, m, y),
        "yyyymmdd": "%d%02d%02d" % (y, m, d),
        "dd/mm": "%02d/%02d" % (d, m),
    }[f]


# ----------------------------------------------------------------------------------------------------
# Hand-written lists (matkhau, MIT)
# ----------------------------------------------------------------------------------------------------

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đoàn", "Trương", "Lâm", "Mai", "Trịnh", "Cao", "Lương",
            "Tạ", "Tô", "Hà", "Lưu", "Châu", "Quách", "Thái", "La", "Chu", "Triệu", "Kiều", "Vương",
            "Khúc", "Âu", "Lã", "Mạc", "Thân", "Đàm", "Nông", "Lò", "Hứa", "Phùng", "Tăng", "Giáp",
            "Tống", "Ninh", "Lục", "Khổng", "Diệp", "Kha", "Hầu", "Ông", "Đào", "Doãn", "Viên", "Bạch",
            "Cù", "Lạc", "Sầm", "Y", "Ksor", "Rơ Châm", "H'Nie"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Đình", "Thế", "Trọng", "Quốc", "Mạnh", "Tiến",
            "Duy", "Xuân", "Gia", "Bảo", "Hoàng", "Thanh", "Ngọc", "Anh", "Tuấn", "Việt", "Khắc", "Bá",
            "Phú", "Trung", "Chí", "Nhật", "Thiện"]
MIDDLE_F = ["Thị", "Ngọc", "Thanh", "Thu", "Kim", "Bích", "Hồng", "Mỹ", "Diệu", "Phương", "Như", "Tuyết",
            "Khánh", "Minh", "Thùy", "Hoài", "Bảo", "Cẩm", "Lệ", "Quỳnh", "Hải", "Mai", "Xuân", "Ánh",
            "Diễm", "Thảo", "Hà", "Tường"]
GIVEN_M = ["An", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Dương", "Đạt", "Đức", "Đông",
           "Định", "Giang", "Hải", "Hiếu", "Hòa", "Hoàng", "Hùng", "Hưng", "Huy", "Khang", "Khánh", "Khoa",
           "Khôi", "Kiên", "Lâm", "Long", "Lộc", "Lợi", "Lũy", "Lực", "Luân", "Minh", "Nam", "Nghĩa",
           "Nhân", "Phát", "Phong", "Phúc", "Quân", "Quang", "Quyết", "Sang", "Sơn", "Tài", "Tâm", "Tân",
           "Thái", "Thắng", "Thành", "Thịnh", "Thuận", "Tiến", "Tín", "Toàn", "Trọng", "Trung", "Tú",
           "Tuấn", "Tùng", "Vinh", "Việt", "Vũ", "Vỹ", "Bằng", "Cảnh", "Chương", "Điệp", "Hậu", "Hiển",
           "Kha", "Khải", "Lĩnh", "Ngạn", "Nhật", "Quý", "Sĩ", "Thạch", "Thiện", "Thông", "Triều", "Ước",
           "Vượng", "Hào", "Khiêm", "Mẫn", "Tuệ", "Thức", "Đẩu", "Ngữ", "Khương", "Sửu", "Tý", "Dần"]
GIVEN_F = ["Anh", "Ánh", "Bích", "Chi", "Châu", "Cúc", "Dung", "Diệp", "Diệu", "Đào", "Giang", "Hà", "Hạ",
           "Hạnh", "Hằng", "Hiền", "Hoa", "Huệ", "Hương", "Huyền", "Khuê", "Kiều", "Lan", "Lệ", "Liên",
           "Linh", "Loan", "Ly", "Mai", "Mận", "My", "Nga", "Ngân", "Ngọc", "Nguyệt", "Nhàn", "Nhi",
           "Nhung", "Oanh", "Phượng", "Phương", "Quế", "Quyên", "Quỳnh", "Sen", "Sương", "Tâm", "Thắm",
           "Thanh", "Thảo", "Thoa", "Thơm", "Thư", "Thủy", "Thúy", "Trâm", "Trang", "Trinh", "Tuyết",
           "Tươi", "Uyên", "Vân", "Xoan", "Xuân", "Yến", "Ý", "Gấm", "Lụa", "Nhạn", "Đoan", "Cẩm", "Diễm",
           "Kim", "Phụng", "Lài", "Nhài", "Thêu", "Mơ", "Duyên", "Hảo", "Ngà", "Hồng", "Trúc", "Vy",
           "Khanh", "Hoài", "Nương", "Ngát", "Thơ", "Lựu", "Mến", "Bưởi"]
COMPOUND_GIVEN_F = ["Thu Hà", "Minh Anh", "Ngọc Ánh", "Bảo Ngọc", "Thanh Tâm", "Hoài An", "Khánh Linh",
                    "Minh Khuê", "Ngọc Diệp", "Thùy Dương", "Bảo Châu", "Phương Thảo", "Quỳnh Anh", "Hải Yến",
                    "Anh Thư", "Bích Ngọc", "Mỹ Duyên", "Thảo Vy", "Kim Ngân", "Hồng Nhung", "Diệu Linh",
                    "Tường Vi", "An Nhiên", "Cát Tường", "Hạ Vy", "Ngọc Hân", "Lan Hương", "Thu Trang",
                    "Kiều Oanh", "Hoàng Yến"]
COMPOUND_GIVEN_M = ["Gia Huy", "Tuấn Anh", "Minh Quân", "Đức Anh", "Gia Bảo", "Hữu Phước", "Thiên Ân",
                    "Trung Kiên", "Quốc Bảo", "Nhật Minh", "Tuệ Lâm", "Khôi Nguyên", "Phúc Lâm", "Minh Triết",
                    "Văn Lũy", "Xuân Diệu"]
COMPOUND_GIVEN = COMPOUND_GIVEN_F + COMPOUND_GIVEN_M

# Old 63 provinces (before the 2025 merger) with their CCCD codes (Circular 07/2016).
PROVINCES = [
    ("001", "Hà Nội"), ("002", "Hà Giang"), ("004", "Cao Bằng"), ("006", "Bắc Kạn"), ("008", "Tuyên Quang"),
    ("010", "Lào Cai"), ("011", "Điện Biên"), ("012", "Lai Châu"), ("014", "Sơn La"), ("015", "Yên Bái"),
    ("017", "Hòa Bình"), ("019", "Thái Nguyên"), ("020", "Lạng Sơn"), ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"), ("025", "Phú Thọ"), ("026", "Vĩnh Phúc"), ("027", "Bắc Ninh"), ("030", "Hải Dương"),
    ("031", "Hải Phòng"), ("033", "Hưng Yên"), ("034", "Thái Bình"), ("035", "Hà Nam"), ("036", "Nam Định"),
    ("037", "Ninh Bình"), ("038", "Thanh Hóa"), ("040", "Nghệ An"), ("042", "Hà Tĩnh"), ("044", "Quảng Bình"),
    ("045", "Quảng Trị"), ("046", "Thừa Thiên Huế"), ("048", "Đà Nẵng"), ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"), ("052", "Bình Định"), ("054", "Phú Yên"), ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"), ("060", "Bình Thuận"), ("062", "Kon Tum"), ("064", "Gia Lai"), ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"), ("068", "Lâm Đồng"), ("070", "Bình Phước"), ("072", "Tây Ninh"),
    ("074", "Bình Dương"), ("075", "Đồng Nai"), ("077", "Bà Rịa Vũng Tàu"), ("079", "Hồ Chí Minh"),
    ("080", "Long An"), ("082", "Tiền Giang"), ("083", "Bến Tre"), ("084", "Trà Vinh"), ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"), ("089", "An Giang"), ("091", "Kiên Giang"), ("092", "Cần Thơ"), ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"), ("095", "Bạc Liêu"), ("096", "Cà Mau"),
]
PROVINCE_CODES = [c for c, _ in PROVINCES]
# 34 units after 1 July 2025 (only the names that are new or kept as merged units are needed; the old
# names above stay in everyday use) plus cities, towns, districts and well-known places.
NEW_UNITS = ["Huế", "Thành phố Hồ Chí Minh", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
             "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa",
             "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang"]
TOWNS = ["Sài Gòn", "Vũng Tàu", "Đà Lạt", "Nha Trang", "Hạ Long", "Phú Quốc", "Sa Pa", "Hội An",
         "Mỹ Tho", "Buôn Ma Thuột", "Pleiku", "Quy Nhơn", "Phan Thiết", "Rạch Giá", "Biên Hòa", "Thủ Đức",
         "Cầu Giấy", "Hoàn Kiếm", "Ba Đình", "Đống Đa", "Long Biên", "Hà Đông", "Sơn Tây", "Móng Cái",
         "Cẩm Phả", "Uông Bí", "Tam Kỳ", "Hòn Gai", "Châu Đốc", "Thăng Long", "Cam Ranh", "Tuy Hòa",
         "Đồng Hới", "Vinh", "Hà Tiên", "Côn Đảo", "Cát Bà", "Mộc Châu", "Tam Đảo", "Đồ Sơn", "Bình Thạnh",
         "Gò Vấp", "Tân Bình", "Chợ Lớn", "Củ Chi", "Cần Giờ", "Thủ Dầu Một", "Dĩ An", "Long Xuyên",
         "Sa Đéc", "Bảo Lộc", "Kon Tum", "Lạng Sơn", "Điện Biên Phủ", "Mường Thanh", "Chợ Rã", "Ba Bể",
         "Hương Khê", "Kỳ Anh", "Tam Điệp", "Phủ Lý", "Hưng Hà", "Cửa Lò", "Sầm Sơn", "Nghĩa Lộ"]
PLACE_ABBR = ["HN", "HCM", "TPHCM", "SG", "DN", "HP", "CT", "BRVT", "VT", "NT", "QN", "HUE", "BD", "DL"]
PLACE_YEARS = [1010, 1945, 1954, 1975, 1976, 2008, 2024, 2025, 1000]

PHRASES = ["anh yêu em", "em yêu anh", "mãi yêu em", "anh nhớ em", "em nhớ anh", "yêu em", "yêu anh",
           "mật khẩu", "xin chào", "hạnh phúc", "gia đình", "hỏi làm gì", "cảm ơn quý khách", "tình yêu",
           "Việt Nam", "Việt Nam vô địch", "tôi yêu Việt Nam", "con yêu mẹ", "mẹ yêu con", "bố mẹ",
           "yêu mẹ", "bóng đá", "thành công", "mãi mãi bên nhau", "trăm năm hạnh phúc", "anh ơi", "em ơi",
           "con heo", "heo con", "mèo con", "cún con", "bé yêu", "vợ yêu", "chồng yêu", "quê hương",
           "bình yên", "mùa xuân", "mùa thu", "hoa hồng", "hoa mai", "hoa đào", "vui vẻ", "tuổi trẻ",
           "chiến thắng", "đoàn kết", "đăng nhập", "tài khoản", "mật khẩu mới", "đổi mật khẩu",
           "quên mật khẩu", "hôm nay", "ngày mai", "tạm thời", "may mắn", "phát tài", "an khang",
           "thịnh vượng", "sức khỏe", "bình an", "giàu có", "vạn sự như ý", "cung hỷ phát tài",
           "chúc mừng năm mới", "trời xanh", "biển xanh", "cảm ơn", "xin lỗi", "không biết", "nhớ nhà",
           "yêu thương", "thương em", "thương anh", "công ty", "kế toán", "nhân sự", "văn phòng",
           "sinh viên", "học sinh", "thầy giáo", "cô giáo", "bác sĩ", "y tá", "bệnh viện", "bảo hiểm",
           "lương hưu", "ông bà", "bà nội", "ông ngoại", "con gái", "con trai", "đẹp trai", "xinh gái",
           "dễ thương", "ngủ ngon", "chào buổi sáng", "cố lên", "tạm biệt", "đi chơi", "cà phê",
           "trà sữa", "phở bò", "bánh mì", "mẹ ơi", "bạn thân", "tình bạn", "độc thân", "người yêu",
           "nhớ em", "đừng quên", "mãi mãi", "muôn năm", "tự do", "hòa bình", "đất nước", "trường học",
           "mưa rơi", "nắng vàng", "lộc phát", "tài lộc", "cháu yêu", "gia đình nhỏ", "không có gì"]

PORTAL_WORDS = ["Baohiemxahoi", "Bhxh", "BHXH", "Bhyt", "BHYT", "Bhtn", "Vssid", "VssID", "Vss", "Dichvucong",
                "Dvc", "Vneid", "VNeID", "Admin", "Quantri", "Kekhai", "Hosobhxh", "Baohiemyte", "Baohiem",
                "Bhxhvn", "Canbo", "Nhanvien", "Taikhoan", "Donvi", "Tramyte", "Benhvien", "Congdichvucong",
                "Thue", "Giamdinh", "Thutuc", "Sobhxh", "Thebhyt", "Kcb", "Cntt", "Quanly", "User", "Ketoan",
                "Vssid.gov", "Dvcqg", "Nopthue", "Bhxhtinh", "Tonghop", "Ksnb", "Vnpt", "Viettel", "Efy",
                "Misa", "Ivan", "Tsbhxh", "Ctbhxh", "Hisbhxh", "Gdbhyt"]

# Everyday Vietnamese words for random passphrases (not phrases: drawn independently at random).
VI_WORDS = """
chuối biển đèn ghế cây mây thỏ đen bàn cửa sổ nồi chảo bát đũa thìa dao kéo giấy bút mực sách vở cặp
áo quần giày dép mũ nón khăn ô gương lược xà phòng chổi xô chậu giường chăn gối màn tủ kệ
đồng hồ điện thoại quạt bếp lò than củi gạo muối đường dầu mắm tương ớt tỏi hành gừng sả chanh cam quýt
bưởi xoài mít ổi táo lê nho dưa dứa đu đủ mận vải nhãn chôm chôm sầu riêng thanh long khế me sấu cóc
cà rốt bắp cải su hào khoai lang khoai tây bí đỏ mướp dưa chuột đậu lạc vừng ngô rau muống rau cải
trâu bò ngựa dê lợn gà vịt ngỗng chó mèo chuột voi hổ báo sư tử khỉ gấu hươu nai cáo sóc rùa rắn ếch
cá tôm cua ốc sò hến mực chim sẻ cò vạc quạ sáo vẹt bướm ong kiến muỗi ruồi dế ve sâu giun
núi sông suối hồ ao đầm biển đảo bãi cát đá sỏi đất bùn rừng đồi thung lũng đèo hang động thác mây mưa
gió bão sấm chớp nắng sương tuyết băng trăng sao mặt trời bầu trời cầu vồng sóng thủy triều
đỏ xanh vàng trắng tím hồng nâu xám cam lục
đầu tóc mắt mũi miệng răng lưỡi tai cổ vai tay ngón chân gối lưng bụng tim gan phổi da xương
xe đạp xe máy ô tô tàu thuyền máy bay ga bến cảng cầu đường phố ngõ hẻm chợ quán tiệm
trường lớp bảng phấn thước compa tẩy vở nháp
ấm chén cốc ly bình hũ vại rổ rá mẹt nia sàng cối chày
lúa mạ rơm rạ thóc cám bèo sen súng lau sậy tre nứa trúc mai đào cúc lan huệ
kẹo bánh xôi chè cháo phở bún miến mì nem chả giò canh lẩu
búa đinh cưa kìm ốc vít thang dây thừng xích khóa chìa
tivi loa đài đàn trống sáo kèn chuông còi
gió mùa hạt mầm lá cành rễ gốc thân vỏ nhựa quả
cửa hàng góc sân vườn ao cá chuồng gác mái hiên thềm bậc tường rào cổng
đĩa khay thớt vỉ rổ nắp nút khuy kim chỉ vải len lụa gấm nhung
ví túi balo vali hộp thùng bao
lửa nước khói bụi tro pin ống nhòm kính râm dù võng chiếu nệm thảm rèm tranh ảnh lịch sổ phong bì tem thư
gói quà nhẫn vòng ghim kẹp nơ tất găng ủng pháo diều bóng lông vợt lưới câu cần chài nơm vó buồm chèo neo
phao ván gỗ sắt thép nhôm chì bạc kẽm thiếc gạch ngói vôi sơn cọ
""".split()
# multi-syllable words written with a space in the block above are split; that is fine (all syllables are
# everyday words). Keep the list unique and ordered.
VI_WORDS = list(dict.fromkeys(nfc(w) for w in VI_WORDS))

EN_WORDS = """
orbit velvet canyon tulip anchor basket candle dolphin engine falcon garden harbor island jacket kettle
ladder marble needle oyster pepper quartz ribbon saddle timber umbrella violin walnut yellow zipper
acorn bamboo cactus desert ember feather glacier hammer igloo jungle kitten lantern meadow nectar
orchid pebble quiver rocket spider thunder unicorn valley willow yogurt zebra arrow bishop cobalt
dragonfly eagle fossil goblet harvest ivory jigsaw koala lemon mango nutmeg olive parrot quilt raven
salmon turtle urchin vapor wagon xylophone yacht zenith amber beacon cinder drizzle echo fable
granite hazel indigo jasmine kayak lagoon mosaic noodle onion pillow quarry radish sparrow tractor
uplift vortex whistle yarn anvil blossom copper dune easel fjord gravel hollow inkwell juniper kiwi
lobster mitten nickel otter paddle quokka rhubarb scooter teapot tundra velcro waffle yodel zinnia
apricot bucket cricket donkey elbow fiddle gopher hinge iris jelly kernel lilac moth napkin oatmeal
pigeon quail rooster shovel thimble turnip vessel wombat bagel cobra dagger emerald flute gecko
honey iceberg jewel kiln lizard magnet nomad oasis pretzel rafter sequoia tango ukulele vista
wizard almond barrel cedar diesel fern goose helmet insect jaguar ketchup locket maple nozzle
opal plank puzzle rustic sandal trumpet uniform vinyl walrus beetle comet daisy elk fog grape
hyena ink jam kelp lime moss nest owl pear reef silk toad vine wheat yak
""".split()
EN_WORDS = list(dict.fromkeys(EN_WORDS))


# ----------------------------------------------------------------------------------------------------
# Name and number pickers
# ----------------------------------------------------------------------------------------------------

def pick_surname(rng):
    r = rng.random()
    if r < 0.3:
        return "Nguyễn"
    if r < 0.7:
        return rng.choice(SURNAMES[:16])
    return rng.choice(SURNAMES)


def pick_person_name(rng, allow_compound=True):
    """Return (surname, middle, given, sex). Given may be a compound ("Thu Hà")."""
    sex = rng.choice("MF")
    surname = pick_surname(rng)
    if allow_compound and rng.random() < 0.2:
        given = rng.choice(COMPOUND_GIVEN_F if sex == "F" else COMPOUND_GIVEN_M)
        middle = rng.choice(MIDDLE_F if sex == "F" else MIDDLE_M)
    else:
        given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        middle = rng.choice(MIDDLE_F if sex == "F" else MIDDLE_M)
    return surname, middle, given, sex


def name_tokens(rng):
    """Folded name tokens in a popular arrangement."""
    s, m, g, _ = pick_person_name(rng)
    s, m = fold(s).replace("'", "").replace(" ", ""), fold(m)
    gs = fold(g).split()
    arr = rng.choices(["g", "sg", "gs", "smg", "mg", "g+g2", "ss", "sm g"], [30, 18, 14, 14, 10, 8, 3, 3])[0]
    if arr == "g":
        return gs
    if arr == "sg":
        return [s] + gs
    if arr == "gs":
        return gs + [s]
    if arr == "smg":
        return [s, m] + gs
    if arr == "mg":
        return [m] + gs
    if arr == "g+g2":  # two given names (couple)
        g2 = fold(rng.choice(GIVEN_F + GIVEN_M))
        return gs + [g2]
    if arr == "ss":
        return [s]
    return [s[0] + m[0], *gs]


MOBILE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "052", "056", "058", "059",
                   "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "087",
                   "088", "089", "090", "091", "092", "093", "094", "096", "097", "098", "099"]


def rand_mobile(rng):
    p = rng.choice(MOBILE_PREFIXES)
    shape = rng.choices(["rand", "pairs", "seq", "repeat"], [70, 12, 8, 10])[0]
    if shape == "rand":
        rest = "".join(rng.choice("0123456789") for _ in range(7))
    elif shape == "pairs":
        a, b, c = (rng.randint(10, 99) for _ in range(3))
        rest = str(rng.randint(0, 9)) + "%02d%02d%02d" % (a, a if rng.random() < .5 else b, c)
    elif shape == "seq":
        rest = rng.choice(["3456789", "1234567", "2345678", "6789999", "1112233", "5678888"])
    else:
        d = rng.choice("135689")
        rest = str(rng.randint(0, 9)) + str(rng.randint(10, 99)) + d * 4
    return p + rest


def fmt_mobile(num, rng):
    f = rng.choices(["plain", "84", "+84", "dots", "dash", "space"], [55, 15, 15, 6, 5, 4])[0]
    if f == "plain":
        return num
    if f == "84":
        return "84" + num[1:]
    if f == "+84":
        return "+84" + num[1:]
    if f == "dots":
        return "%s.%s.%s" % (num[:4], num[4:7], num[7:])
    if f == "dash":
        return "%s-%s-%s" % (num[:4], num[4:7], num[7:])
    return "%s %s %s" % (num[:4], num[4:7], num[7:])


def rand_cccd(rng, y=None, sex=None):
    y = y if y is not None else rng.randint(1945, 2010)
    sex = sex or rng.choice("MF")
    century = (y // 100) - 19  # 1900s -> 0, 2000s -> 1
    digit = century * 2 + (1 if sex == "F" else 0)
    return rng.choice(PROVINCE_CODES) + str(digit) + "%02d" % (y % 100) + "%06d" % rng.randint(0, 999999)


def rand_bhxh(rng, prov=None):
    prov = prov or rng.choice(PROVINCE_CODES)
    return prov[1:] + "%08d" % rng.randint(0, 99999999)


def rand_kcb(rng, prov=None):
    prov = (prov or rng.choice(PROVINCE_CODES))[1:]
    if rng.random() < 0.6:
        core = prov + rng.choice("ABCDEFGHJKLMN") + "%02d" % rng.randint(1, 99)
    else:
        core = prov + "%03d" % rng.randint(1, 300)
    return core + rng.choice(["_BV", "_BV", "_TYT", "_PK", "_YT"])


# ----------------------------------------------------------------------------------------------------
# Telex / VNI keystrokes (written from the input-method description)
# ----------------------------------------------------------------------------------------------------

TONES_TELEX = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
TONES_VNI = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}


def keystrokes(text, scheme="telex", tone_at_end=True, lone_w=False):
    out_words = []
    for word in nfc(text).split():
        out, tone = [], ""
        for ch in word:
            if ch in "đĐ":
                out.append(("dd" if ch == "đ" else "Dd") if scheme == "telex" else ("d9" if ch == "đ" else "D9"))
                continue
            dec = unicodedata.normalize("NFD", ch)
            base, marks = dec[0], dec[1:]
            keys = base
            for mk in marks:
                if mk == "\u0302":  # circumflex
                    keys += base.lower() if scheme == "telex" else "6"
                elif mk == "\u0306":  # breve
                    keys += "w" if scheme == "telex" else "8"
                elif mk == "\u031b":  # horn
                    if scheme == "telex":
                        keys = "w" if (lone_w and base == "u") else keys + "w"
                    else:
                        keys += "7"
            t = next((mk for mk in marks if mk in TONES_TELEX), None)
            out.append(keys)
            if t:
                tk = (TONES_TELEX if scheme == "telex" else TONES_VNI)[t]
                if tone_at_end:
                    tone = tk
                else:
                    out.append(tk)
        out_words.append("".join(out) + tone)
    return out_words


# ----------------------------------------------------------------------------------------------------
# Weak generators: each returns (password, context or None)
# ----------------------------------------------------------------------------------------------------

def g_name_year(rng):
    toks = name_tokens(rng)
    sep_name = rng.choice(["", "", "", ".", "_"])
    core = style_words(toks, rng, seps=(sep_name,))
    y = year_str(rng)
    sp = special(rng)
    shape = rng.choices(["c@y", "cy@", "@cy", "y@c", "c@y!", "cy"], [45, 18, 8, 10, 6, 13])[0]
    if shape == "c@y":
        p = core + sp + y
    elif shape == "cy@":
        p = core + y + sp
    elif shape == "@cy":
        p = sp + core + y
    elif shape == "y@c":
        p = y + sp + core
    elif shape == "c@y!":
        p = core + sp + y + rng.choice(["!", "@", "#"])
    else:
        p = core + y
    return ensure_comp(p, rng), None


def g_name_date(rng):
    toks = name_tokens(rng)
    if len(toks) > 2 and rng.random() < 0.5:
        toks = toks[-1:]
    core = style_words(toks, rng, seps=("", "", ".", "_"))
    d, m, y = rand_date(rng)
    ds = fmt_date(d, m, y, rng)
    sp = special(rng)
    shape = rng.choices(["c@d", "cd@", "d@c", "@cd", "cd"], [50, 15, 15, 5, 15])[0]
    p = {"c@d": core + sp + ds, "cd@": core + ds + sp, "d@c": ds + sp + core, "@cd": sp + core + ds,
         "cd": core + ds}[shape]
    return ensure_comp(p, rng), None


NATIONAL_DATES = [(30, 4, 1975), (2, 9, 1945), (19, 5, 1890), (3, 2, 1930), (10, 3, None), (1, 5, None),
                  (7, 5, 1954), (22, 12, 1944), (26, 3, 1931), (19, 8, 1945), (10, 10, 1954), (27, 7, 1947),
                  (20, 11, None), (8, 3, None), (20, 10, 1930), (1, 6, None), (15, 8, None), (27, 2, 1955),
                  (21, 6, 1925), (14, 2, None), (1, 1, None), (25, 12, None), (15, 10, 1956), (9, 1, 1950)]
DATE_WORDS = ["Ngay", "Sn", "Sinhnhat", "Hpbd", "Ab", "Aa", "Abc", "Mk", "Date", "Nam", "Thang",
              "Giophut", "Qk", "Hb", "Ngaycuoi", "Kyniem", "Tet", "Giotohungvuong", "Quockhanh",
              "Giaiphong", "Thongnhat", "Bacho", "Dienbienphu", "Happy", "Bday"]


def g_date(rng):
    if rng.random() < 0.45:
        d, m, y = rng.choice(NATIONAL_DATES)
        if y is None:
            y = rng.choice([2023, 2024, 2025, 1990, 2000])
            fmts = ["ddmm", "dd/mm", "ddmmyyyy", "dd.mm.yyyy", "dd/mm/yyyy"]
        else:
            fmts = ["ddmmyyyy", "dd/mm/yyyy", "d/m/yyyy", "dmyyyy", "dd.mm.yyyy", "dd-mm-yyyy", "ddmmyy"]
        ds = fmt_date(d, m, y, rng, fmts)
    else:
        d, m, y = rand_date(rng)
        ds = fmt_date(d, m, y, rng, ["ddmmyyyy", "ddmmyyyy", "dd/mm/yyyy", "dd.mm.yy", "dd-mm-yyyy",
                                      "d/m/yyyy", "dd.mm.yyyy", "ddmmyy"])
    w = rng.choice(DATE_WORDS)
    sp = special(rng)
    shape = rng.choices(["w@d", "dw", "d@w", "w@d!", "@dw"], [40, 20, 20, 10, 10])[0]
    p = {"w@d": w + sp + ds, "dw": ds + w, "d@w": ds + sp + w, "w@d!": w + sp + ds + "!",
         "@dw": sp + ds + w}[shape]
    return ensure_comp(p, rng), None


PHONE_WORDS = ["Ab", "Aa", "Abc", "Sdt", "Phone", "Viettel", "Vina", "Mobi", "Zalo", "Alo", "Call", "Dt",
               "Hotline", "Sim", "Vt"]


def g_phone(rng):
    num = fmt_mobile(rand_mobile(rng), rng)
    if rng.random() < 0.3:
        toks = name_tokens(rng)[-1:]
        w = cap(toks[0])
    else:
        w = rng.choice(PHONE_WORDS)
    sp = special(rng)
    shape = rng.choices(["w@n", "nw", "n@w", "@nw", "w n"], [45, 20, 20, 10, 5])[0]
    if shape == "w@n":
        p = w + sp + num
    elif shape == "nw":
        p = num + (w if w[0].isupper() else cap(w))
    elif shape == "n@w":
        p = num + sp + w
    elif shape == "@nw":
        p = sp + num + w
    else:
        p = w + " " + num
    return ensure_comp(p, rng), None


def g_id_number(rng):
    kind = rng.choices(["cccd", "bhxh", "kcb", "card"], [45, 25, 18, 12])[0]
    w = rng.choice(["Ab", "Aa", "Cccd", "Cmnd", "Bhxh", "Mst", "Id", "So", "Ma", "Abc", "Xyz", "Bv", "Tk"])
    sp = special(rng)
    if kind == "cccd":
        n = rand_cccd(rng)
        p = rng.choice([w + sp + n, n + sp + w, n + w, w + n + sp, sp + n + w[0].lower() + w[1:].upper()])
    elif kind == "bhxh":
        n = rand_bhxh(rng)
        p = rng.choice([w + sp + n, n + sp + w, n + cap(w), w + n + sp])
    elif kind == "kcb":
        code = rand_kcb(rng)
        r = rng.random()
        if r < 0.35:
            p = code[:-1] + code[-1].lower() + rng.choice(["@2024", "@2025", "@123", "#1", "!", "123"])
        elif r < 0.6:
            p = cap(code.split("_")[1]) + sp + code.split("_")[0] + rng.choice(["", "a", "bv"])
        elif r < 0.8:
            p = code.lower() + rng.choice(["@A", "#A1", "Abc", "A!"])
        else:
            p = code + rng.choice(["a", "abc", "xyz", "ab"])
    else:  # 15-character health-insurance card code
        card = rng.choice(["DN", "HC", "HT", "TE", "GD", "HS", "SV", "CN", "XK", "NO", "HN", "CK"]) + \
            str(rng.randint(1, 5)) + rand_bhxh(rng)[:2] + rand_bhxh(rng)
        p = rng.choice([card[:1] + card[1].lower() + card[2:] + sp, card + sp + "a", cap(card[:2]) + sp + card[2:]])
    return ensure_comp(p, rng), None


def phrase_decorate(core, rng):
    sp = special(rng)
    dig = rng.choice(["123", "1", "1", "99", "2024", "2025", "2023", "12", "1234", "123456", "01", "88",
                      "68", "9", "2k", "2000", "07", "3", "11", "0"])
    shape = rng.choices(["c@d", "c#d", "cd@", "@cd", "d@c", "c@d!", "cd!"], [40, 10, 14, 6, 8, 7, 15])[0]
    return {"c@d": core + sp + dig, "c#d": core + rng.choice(["#", "!", "*"]) + dig,
            "cd@": core + dig + sp, "@cd": sp + core + dig, "d@c": dig + sp + core,
            "c@d!": core + sp + dig + "!", "cd!": core + dig + rng.choice(["!", ".", "@", "!!"])}[shape]


VN_PHRASE_HAND = ["Anhyeuem@123", "Matkhau@2024", "Xinchao#1", "Hanhphuc!99", "Giadinh@123", "Hoilamgi@1",
                  "Camonquykhach1!"]


def g_vn_phrase(rng):
    words = fold(rng.choice(PHRASES)).split()
    seps = ("", "", "", "", ".", "_", " ")
    core = style_words(words, rng, seps=seps)
    return ensure_comp(phrase_decorate(core, rng), rng), None


VN_DIAC_HAND = ["Mậtkhẩu@123", "Anhyêuem@1", "Hạnhphúc#2024"]


def g_vn_diacritics(rng):
    words = nfc(rng.choice(PHRASES)).split()
    core = style_words(words, rng, seps=("", "", "", " ", ".", "_"))
    if rng.random() < 0.15:  # diacritics only on some syllables (half-typed)
        core = "".join(fold(c) if rng.random() < 0.3 else c for c in core)
    p = ensure_comp(phrase_decorate(core, rng), rng)
    if p == fold(p):  # must really carry diacritics
        return None, None
    return nfc(p), None


TELEX_HAND = ["Maatjkhaaur@1", "Yeeuem@2024", "Ma6t5kha6u3@A", "Hanhj phucs 1A"]


def g_telex_vni(rng):
    phrase = rng.choice([p for p in PHRASES if p != fold(p)])
    scheme = "telex" if rng.random() < 0.75 else "vni"
    words = keystrokes(phrase, scheme, tone_at_end=rng.random() < 0.7, lone_w=rng.random() < 0.3)
    core = style_words(words, rng, seps=("", "", "", " ", ".", "_"))
    p = phrase_decorate(core, rng) if rng.random() < 0.85 else ensure_comp(core, rng)
    return ensure_comp(p, rng), None


LEET = {"a": ["@", "4"], "o": ["0"], "e": ["3"], "i": ["1", "!"], "s": ["$", "5"], "t": ["7"], "g": ["9"],
        "l": ["1"], "b": ["8"]}
LEET_HAND = ["M@tkh@u123", "B@oHiem#2024", "Ngu@yen1990!", "H@n0i@123"]


def g_leet(rng):
    src = rng.choices(["phrase", "name", "place", "portal"], [35, 30, 20, 15])[0]
    if src == "phrase":
        words = fold(rng.choice(PHRASES)).split()
    elif src == "name":
        words = [t for t in name_tokens(rng) if len(t) > 2] or [fold(pick_surname(rng))]
    elif src == "place":
        words = fold(rng.choice([n for _, n in PROVINCES] + TOWNS)).split()
    else:
        words = [rng.choice(PORTAL_WORDS).lower()]
    core = style_words(words, rng, seps=("", "", "", ".", "_"))
    rate = rng.choice([0.35, 0.5, 0.8])
    out, changed = [], 0
    for i, c in enumerate(core):
        lc = c.lower()
        if lc in LEET and i > 0 and rng.random() < rate:
            out.append(rng.choice(LEET[lc]))
            changed += 1
        else:
            out.append(c)
    if not changed:
        return None, None
    core = "".join(out)
    tail = rng.choice(["123", "1", "2024", "2025", str(year(rng)), "99", "!", "@1", "#1", "", "88"])
    p = core + tail
    return ensure_comp(p, rng), None


def g_place(rng):
    r = rng.random()
    if r < 0.12:
        core = rng.choice(PLACE_ABBR)
        core = cap(core) if rng.random() < 0.7 else core[:-1] + core[-1].lower()
    else:
        name = rng.choice([n for _, n in PROVINCES] + NEW_UNITS + TOWNS + ["Hà Nội", "Sài Gòn", "Đà Nẵng"] * 3)
        words = fold(name).split()
        if rng.random() < 0.15 and len(words) > 1:
            words = ["Tp"] + words if words[0] != "Thanh" else words
        core = style_words(words, rng, seps=("", "", "", ".", "_", " "))
    dig = rng.choice([str(y) for y in PLACE_YEARS] + ["123", "1", "88", "99", "2024", str(year(rng)),
                                                        "%02d" % rng.randint(11, 99), "29", "51", "43"])
    sp = special(rng)
    shape = rng.choices(["c@d", "cd@", "@cd", "d@c", "cd!"], [50, 15, 8, 12, 15])[0]
    p = {"c@d": core + sp + dig, "cd@": core + dig + sp, "@cd": sp + core + dig, "d@c": dig + sp + core,
         "cd!": core + dig + "!"}[shape]
    return ensure_comp(p, rng), None


PORTAL_HAND = ["Baohiemxahoi@2024", "Bhxh@123456", "Vssid@2025", "Dichvucong#1", "BHYT@2023a", "Admin@123",
               "Vneid@2024"]


def g_portal(rng):
    w = rng.choice(PORTAL_WORDS)
    if rng.random() < 0.2:
        w2 = rng.choice(["Hanoi", "Hcm", "Tphcm", "Danang", "Vn", "Tinh", "Huyen", "Xa", "Bv", "Yte",
                         fold(rng.choice([n for _, n in PROVINCES])).replace(" ", "")])
        w = w + rng.choice(["", ".", "_"]) + w2
    if rng.random() < 0.15:
        w = w.lower()
    elif rng.random() < 0.12:
        w = w.upper()
    dig = rng.choice(["2024", "2025", "2023", "2026", "123", "123456", "1", "12345", "1234", "01", "2019",
                      "79", "001", "6868", "111"])
    sp = special(rng)
    shape = rng.choices(["w@d", "wd@", "@wd", "d@w", "w@d!"], [55, 15, 10, 10, 10])[0]
    p = {"w@d": w + sp + dig, "wd@": w + dig + sp, "@wd": sp + w + dig, "d@w": dig + sp + w,
         "w@d!": w + sp + dig + "!"}[shape]
    return ensure_comp(p, rng), None


KEYBOARD_HAND = ["Qwerty@123", "P@ssw0rd", "Abc@12345", "Asdfgh#1", "Zaq1@wsx", "Password1!", "Iloveyou@1",
                 "Demo@123", "1qaz@WSX", "1qaz!QAZ", "Qwe@1234", "Qwerty123!", "Aa@123456", "Aa123456@",
                 "Abcd@1234", "Abc123!@#", "Zxcvbnm@1", "Qazwsx@123", "!QAZ2wsx", "1q2w3e4R!", "Q1w2e3r4!",
                 "Test@123", "Welcome@1", "Passw0rd!", "Changeme1!", "Letmein@1", "Kenboy00@", "123456Aa@",
                 "Aa@12345678", "P@$$w0rd", "Pass@word1", "Hello@123", "1q2w3e4r5T*", "Asdf@1234", "Qwertyuiop1!",
                 "Abc#123456", "Zxc@12345"]
WALKS = ["qwerty", "asdfgh", "zxcvbn", "qazwsx", "1qaz2wsx", "1q2w3e4r", "qwertyuiop", "asdfghjkl", "zaq12wsx",
         "qwe123", "123qwe", "abc", "abcd", "abcdef", "asdf", "zxcv", "poiuyt", "mnbvcx", "1234qwer", "qweasd",
         "qweasdzxc", "asdzxc", "147258", "159357", "741852", "123654", "a1b2c3"]
CLASSICS = ["password", "iloveyou", "welcome", "letmein", "monkey", "dragon", "sunshine", "princess",
            "football", "superman", "batman", "test", "demo", "hello", "master", "shadow", "trustno1",
            "starwars", "whatever", "freedom", "admin", "login", "secret", "abc123", "passw0rd", "baseball",
            "michael", "charlie", "pokemon", "naruto", "doraemon", "hellokitty"]


def g_keyboard_classic(rng):
    w = rng.choice(WALKS + CLASSICS)
    w = cap(w) if rng.random() < 0.75 else w
    dig = rng.choice(["123", "1", "1234", "12345", "123456", "12", "!", "2024", "01", "00", "321", "111"])
    sp = special(rng)
    shape = rng.choices(["w@d", "wd@", "@wd", "d@w"], [55, 25, 8, 12])[0]
    p = {"w@d": w + sp + dig, "wd@": w + dig + sp, "@wd": sp + w + dig, "d@w": dig + sp + w}[shape]
    return ensure_comp(p, rng), None


LUCKY_HAND = ["Aa@88888888", "Ab#66668888", "Xx@6868686", "Loc@8386"]
LUCKY_RUNS = ["88888888", "66668888", "68686868", "8386", "83868386", "6868", "39393939", "79797979",
              "99999999", "66666666", "68688686", "1368", "88889999", "56789999", "11111111", "00000000",
              "8888", "6666", "9999", "3979", "3939", "7979", "686868", "888888", "666666", "999999", "8668",
              "2468", "13579", "1102", "1111", "22222222", "12341234", "11223344", "88886666", "9999999",
              "5555", "6789", "0909", "8989", "868686", "79797", "39793979", "168168", "1688", "4078"]
LUCKY_WORDS = ["Aa", "Ab", "Xx", "Loc", "Phat", "Tai", "Thantai", "Vip", "Abc", "Phattai", "Locphat",
               "Sim", "Tailoc", "Maman", "Tien", "Vang", "Ok", "Qq", "Zz", "Loc.phat", "Sodep", "Wifi"]


def g_lucky_digits(rng):
    run = rng.choice(LUCKY_RUNS)
    w = rng.choice(LUCKY_WORDS)
    sp = special(rng)
    shape = rng.choices(["w@r", "r@w", "wr@", "@rw", "r w"], [55, 15, 15, 10, 5])[0]
    p = {"w@r": w + sp + run, "r@w": run + sp + w, "wr@": w + run + sp, "@rw": sp + run + w,
         "r w": run + " " + w}[shape]
    return ensure_comp(p, rng), None


def g_combo(rng):
    kind = rng.choice(["name_place", "phrase_phone", "phrase_name_year", "place_name_year", "name_lucky",
                       "couple", "phrase_date", "portal_name", "phrase_place"])
    sp = special(rng)
    given = fold(rng.choice(GIVEN_F + GIVEN_M))
    if kind == "name_place":
        place = fold(rng.choice(["Hà Nội", "Sài Gòn", "Đà Nẵng", "Huế", "Hải Phòng", "Cần Thơ"] +
                                [n for _, n in PROVINCES] + TOWNS)).replace(" ", "")
        parts = [cap(given), cap(place)] if rng.random() < 0.5 else [cap(place), cap(given)]
        p = rng.choice([".", "", "_"]).join(parts) + sp + year_str(rng)
    elif kind == "phrase_phone":
        ph = fold(rng.choice(PHRASES)).replace(" ", "")
        tail = rand_mobile(rng)[-rng.choice([4, 6]):]
        p = cap(ph) + sp + tail
    elif kind == "phrase_name_year":
        ph = rng.choice(["anhyeuem", "emyeuanh", "yeu", "mai yeu", "nho", "thuong", "anhnho", "cuaanh", "cuaem",
                         "vo", "chong", "be", "con"]).replace(" ", "")
        p = cap(ph) + sp + cap(given) + year_str(rng)
    elif kind == "place_name_year":
        place = fold(rng.choice(["Hà Nội", "Sài Gòn", "Huế", "Vũng Tàu", "Nha Trang"] + TOWNS)).replace(" ", "")
        p = cap(place) + rng.choice([".", "_", ""]) + cap(fold(pick_surname(rng))) + sp + year_str(rng)
    elif kind == "name_lucky":
        p = cap(given) + sp + rng.choice(["8888", "6868", "8386", "68", "86", "3979", "888888", "1368"]) + \
            rng.choice(["", "a", "Vn"])
    elif kind == "couple":
        g2 = fold(rng.choice(GIVEN_F + GIVEN_M))
        p = cap(given) + rng.choice(["yeu", "Yeu", "&", "va", "love", "Love", "+", "_"]) + cap(g2) + sp + \
            rng.choice([year_str(rng), "%02d%02d" % rand_date(rng)[:2], "1"])
    elif kind == "phrase_date":
        ph = fold(rng.choice(PHRASES)).replace(" ", "")
        d, m, y = rand_date(rng)
        p = cap(ph) + sp + fmt_date(d, m, y, rng, ["ddmm", "ddmmyy", "ddmmyyyy", "dd/mm"])
    elif kind == "portal_name":
        p = rng.choice(["Bhxh", "Bhyt", "Vssid", "Dvc"]) + rng.choice(["", ".", "_"]) + cap(given) + sp + \
            rng.choice(["2024", "2025", "123", year_str(rng)])
    else:
        ph = fold(rng.choice(PHRASES)).replace(" ", "")
        place = fold(rng.choice(["Hà Nội", "Sài Gòn", "Đà Nẵng", "Huế"] + TOWNS)).replace(" ", "")
        p = cap(ph) + rng.choice(["", "."]) + cap(place) + sp + rng.choice(["1", "123", "2024", "88"])
    return ensure_comp(p, rng), None


COMBO_HAND = ["Anhyeuem@Lan1995", "Hanoi.Nguyen@90"]


# ----------------------------------------------------------------------------------------------------
# Personal: built from the user's own data in `context`
# ----------------------------------------------------------------------------------------------------

EMAIL_DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com", "yahoo.com.vn", "outlook.com",
                 "hotmail.com", "baohiemxahoi.gov.vn", "vss.gov.vn", "hanoi.gov.vn", "fpt.vn", "vnpt.vn"]
EXTRA_CHILD = ["Gia Bảo", "Bảo Anh", "Minh Khôi", "Tuệ An", "Bống", "Bin", "Su", "Na", "Tôm", "Mít", "Cún",
               "Khoai", "Sóc", "Ốc", "Bơ", "Xu", "Nấm", "Kem", "Bi", "Gấu"]
EXTRA_COMPANY = ["Công ty TNHH Minh Phát", "Công ty CP Hưng Thịnh", "Trường THCS Lê Lợi", "Bệnh viện Đa khoa Kỳ Anh",
                 "UBND xã Chợ Rã", "Công ty TNHH Sao Mai", "HTX Nông nghiệp Tân Lập", "Trạm Y tế xã Quỳnh Lâm",
                 "Công ty CP Thủy sản Cà Mau", "Bưu điện Mộc Châu"]
EXTRA_HOMETOWN = ["Hương Khê", "Kỳ Anh", "Quỳnh Lưu", "Chợ Rã", "Mộc Châu", "Tam Nông", "Cái Bè", "Phù Cát",
                  "Đức Phổ", "Triệu Phong", "Yên Thành", "Thọ Xuân", "Krông Pắc", "Ngọc Lặc", "Bảo Yên"]
RARE_GIVEN_F = ["Khuê", "Diệp", "Quỳnh", "Thắm", "Thêu", "Nhạn", "Xoan", "Gấm", "Lụa", "Lựu", "Mến", "Bưởi",
                "Ngát", "Nương", "Lài", "Thơm", "Mận"]
RARE_GIVEN_M = ["Lũy", "Ngạn", "Đẩu", "Ước", "Sửu", "Khương", "Mẫn", "Thức", "Ngữ", "Khiêm", "Tý", "Thạch"]


def make_person(rng):
    s, m, g, sex = pick_person_name(rng)
    if rng.random() < 0.45:
        g = rng.choice(RARE_GIVEN_F if sex == "F" else RARE_GIVEN_M)
    full = nfc("%s %s %s" % (s, m, g))
    y = rng.randint(1955, 2005)
    d, mo, y = rand_date(rng, y)
    fs, fm, fg = fold(s).replace("'", "").replace(" ", "").lower(), fold(m).lower(), fold(g).lower().replace(" ", "")
    initials = (fs[0] + fm[0] + "".join(w[0] for w in fold(g).lower().split()))
    local = rng.choice([fg + "." + fs, fg + fs + "%02d" % (y % 100), initials + "%02d" % (y % 100),
                        fs + fm + fg, fg + initials[:-1] + "%d" % y, fg + "." + fs + "%02d%02d" % (d, mo)])
    phone = rand_mobile(rng)
    cccd = rand_cccd(rng, y, sex)
    prov = cccd[:3]
    person = {
        "surname": s, "middle": m, "given": g, "sex": sex, "full_name": full, "dob": (d, mo, y),
        "email": local + "@" + rng.choice(EMAIL_DOMAINS), "phone": phone, "national_id": cccd,
        "social_insurance_code": rand_bhxh(rng, prov),
        "username": rng.choice([cccd, local, fg + initials[:-1] + "%02d" % (y % 100), fg + "_" + fs]),
        "f": (fs, fm, fg), "initials": initials, "local": local,
    }
    return person


def person_context(p, rng, must=(), org=None, extra=None):
    ctx = {}
    optional = ["username", "email", "phone", "date_of_birth", "national_id", "social_insurance_code"]
    d, m, y = p["dob"]
    values = {"username": p["username"], "full_name": p["full_name"], "email": p["email"],
              "phone": p["phone"], "date_of_birth": "%04d-%02d-%02d" % (y, m, d),
              "national_id": p["national_id"], "social_insurance_code": p["social_insurance_code"]}
    for f in CONTEXT_FIELDS:
        if f in values and (f == "full_name" or f in must or (f in optional and rng.random() < 0.55)):
            ctx[f] = values[f]
    if org:
        ctx["org_code"] = org
    if extra:
        ctx["extra"] = extra
    return ctx


def g_personal(rng):
    """Returns (password, context, evidence) where evidence is the context-derived token (folded, lower)."""
    p = make_person(rng)
    fs, fm, fg = p["f"]
    g_words = fold(p["given"]).split()
    d, m, y = p["dob"]
    sp = special(rng)
    t = rng.choice(["given_year", "given_ddmm", "initials_given", "email_local", "username", "org",
                    "phone_tail", "cccd_tail", "bhxh_tail", "dob_odd", "child", "reversed", "company",
                    "hometown", "fullname"])
    org = extra = None
    if t == "given_year":
        core = "".join(cap(w) for w in g_words) if len(g_words) > 1 else cap(fg)
        yy = rng.choice([str(y), "%02d" % (y % 100), "2024", "2025"])
        pw, ev, must = core + sp + yy, fg, ()
    elif t == "given_ddmm":
        pw = cap(fg) + rng.choice([".", "_", ""]) + fm[0].upper() + rng.choice(["@", "#", "!", "@"]) + \
            "%02d%02d" % (d, m)
        ev, must = "%02d%02d" % (d, m), ("date_of_birth",)
    elif t == "initials_given":
        pw = p["initials"][:-1] + cap(fg) + sp + "%02d" % (y % 100)
        ev, must = fg, ()
    elif t == "email_local":
        loc = p["local"]
        pw = cap(loc) + rng.choice(["@", "!", "#", "@1", "!1", "@A1"])
        ev, must = loc, ("email",)
    elif t == "username":
        u = p["username"]
        if u.isdigit():  # username is the CCCD
            pw = rng.choice(["Ab@", "Aa@", cap(fg) + "@"]) + u[-6:]
            ev = u[-6:]
        else:
            pw = cap(u) + sp + rng.choice(["1", "123", "2024", "%02d" % (y % 100)])
            ev = u
        must = ("username",)
    elif t == "org":
        org = rand_kcb(rng, p["national_id"][:3])
        code, suf = org.split("_")
        r = rng.random()
        if r < 0.4:
            pw = code + "_" + cap(suf) + rng.choice(["@2025", "@2024", "#1", "!", "@123"])
        elif r < 0.7:
            pw = cap(suf) + sp + code.lower() + rng.choice(["", "1", "A"])
        else:
            pw = cap(fg) + sp + code
        ev, must = code.lower(), ()
    elif t == "phone_tail":
        n = rng.choice([4, 6])
        tail = p["phone"][-n:]
        pw = rng.choice([cap(fg), cap(fs) + cap(fg), p["initials"].upper()[:-1] + fg]) + sp + tail
        ev, must = tail, ("phone",)
    elif t == "cccd_tail":
        tail = p["national_id"][-6:]
        pw = cap(p["initials"]) + sp + tail
        ev, must = tail, ("national_id",)
    elif t == "bhxh_tail":
        n = rng.choice([4, 5, 6])
        tail = p["social_insurance_code"][-n:]
        pw = cap(fs) + rng.choice(["", "."]) + cap(fg) + sp + tail
        ev, must = tail, ("social_insurance_code",)
    elif t == "dob_odd":
        ds = rng.choice(["%d%02d%02d" % (y, m, d), "%02d%02d%d" % (m, d, y), "%02d%02d%02d" % (y % 100, m, d),
                         "%d.%d.%d" % (y, m, d)])
        pw = cap(fg) + sp + ds
        ev, must = ds.replace(".", ""), ("date_of_birth",)
    elif t == "child":
        child = rng.choice(EXTRA_CHILD)
        extra = [child, rng.choice(EXTRA_HOMETOWN)]
        pw = "".join(cap(w) for w in fold(child).split()) + sp + rng.choice([str(rng.randint(2008, 2022)),
                                                                             "%02d%02d" % (d, m), "123"])
        if len(pw) < 8:
            pw = pw + cap(fg)
        ev, must = fold(child).lower().replace(" ", ""), ()
    elif t == "reversed":
        pw = cap(fg) + cap(fs) + sp + rng.choice([str(y), "%02d" % (y % 100)])
        ev, must = fg + fs, ()
    elif t == "company":
        comp = rng.choice(EXTRA_COMPANY)
        extra = [comp]
        key = fold(comp).split()[-2:]
        pw = "".join(cap(w) for w in key) + sp + rng.choice(["2024", "2025", "123", "1"])
        ev, must = "".join(key).lower(), ()
    elif t == "hometown":
        ht = rng.choice(EXTRA_HOMETOWN)
        extra = [ht]
        pw = "".join(cap(w) for w in fold(ht).split()) + sp + rng.choice([str(y), "%02d" % (y % 100)])
        ev, must = fold(ht).lower().replace(" ", ""), ()
    else:  # fullname without spaces + dd.mm
        pw = cap(fs) + fm + fg + rng.choice([".", "@", "_"]) + "%02d%02d" % (d, m)
        ev, must = fs + fm + fg, ("date_of_birth",) if rng.random() < 0.5 else ()
    pw = ensure_comp(pw, rng)
    ctx = person_context(p, rng, must=must, org=org, extra=extra)
    return pw, ctx, ev


# ----------------------------------------------------------------------------------------------------
# Strong generators
# ----------------------------------------------------------------------------------------------------

SYMBOLS = "!@#$%^&*()-_=+[]{};:,.<>/?~|"
WEAK_FRAGMENTS = ["123", "234", "345", "456", "567", "678", "789", "abc", "qwe", "asd", "zxc", "pass", "word",
                  "admin", "love", "yeu", "anh", "bhxh", "vss", "8888", "6868", "0000", "1111", "pw", "mk"]


def has_weak_fragment(p):
    f = fold(p).lower()
    if any(w in f for w in WEAK_FRAGMENTS):
        return True
    run = 0
    for c in f:
        run = run + 1 if c.isdigit() else 0
        if run >= 4:
            return True
    return False


def s_random(rng):
    n = rng.randint(12, 24)
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789" + SYMBOLS
    for _ in range(100):
        p = "".join(rng.choice(alphabet) for _ in range(n))
        if composition_ok(p) and not has_weak_fragment(p) and p[0] != " " and p[-1] != " ":
            return p
    return None


def s_passphrase_vi(rng):
    k = rng.choice([4, 4, 5])
    words = rng.sample(VI_WORDS, k)
    if rng.random() < 0.4:
        words = [fold(w) for w in words]
    words = [cap(w) if rng.random() < 0.4 else w for w in words]
    if not any(w[0].isupper() for w in words):
        i = rng.randrange(k)
        words[i] = cap(words[i])
    sep = rng.choice(["-", ".", "_", " ", "+", "/", "~", "*"])
    digit = str(rng.randint(1, 99))
    if rng.random() < 0.5:
        words.insert(rng.randrange(k + 1), digit)
    else:
        i = rng.randrange(k)
        words[i] = words[i] + digit
    p = nfc(sep.join(words))
    return p if len(p) >= 16 else None


def s_passphrase_en(rng):
    k = rng.choice([4, 4, 5])
    words = rng.sample(EN_WORDS, k)
    words = [cap(w) if rng.random() < 0.4 else w for w in words]
    if not any(w[0].isupper() for w in words):
        i = rng.randrange(k)
        words[i] = cap(words[i])
    sep = rng.choice(["-", ".", "_", " ", "+", "/", "~", "*", ","])
    digit = str(rng.randint(1, 99))
    if rng.random() < 0.6:
        words.insert(rng.randrange(k + 1), digit)
    else:
        i = rng.randrange(k)
        words[i] = words[i] + digit
    return sep.join(words)


SUBJECTS = ["Bà ngoại", "Ông lão", "Con mèo mướp", "Chú bộ đội", "Cô bán hoa", "Thằng Tí", "Bác đưa thư",
            "Con vịt bầu", "Cậu học trò", "Chị thợ may", "Con trâu già", "Anh lái đò", "Cái Bống", "Ông thợ rèn",
            "Con chó vện", "Đàn kiến lửa", "Chim chèo bẻo", "Cô giáo trẻ", "Anh thợ điện", "Con ếch xanh"]
VERBS = ["sơn", "đếm", "giấu", "vẽ", "nướng", "cõng", "ném", "gói", "bán", "nhặt", "thả", "đẽo", "tưới",
         "buộc", "kéo", "luộc", "xếp", "chở", "gặm", "thổi"]
OBJECTS = ["chiếc thuyền giấy", "quả bưởi", "cái nồi đồng", "đôi dép tổ ong", "ấm trà", "bó rau muống",
           "cây đàn bầu", "chiếc ô tím", "con diều", "nắm xôi", "cái chổi rơm", "bao khoai lang",
           "chiếc đèn lồng", "hòn sỏi", "tấm bản đồ", "cuộn len", "bát chè", "quả dừa", "chiếc mũ cối",
           "bình hoa sứ"]
PLACES_S = ["dưới gốc me", "trên mái nhà", "bên bờ ao", "giữa chợ", "sau bếp", "trên đỉnh đèo", "trong hang",
            "ngoài ruộng", "cạnh giếng", "trên cầu tre", "dưới gầm bàn", "sau lũy tre", "trong kho thóc",
            "trên xe buýt", "bên hiên nhà"]
TIMES = ["lúc {} giờ", "{} lần", "vào thứ {}", "{} cái", "hôm {} tháng", "{} phút"]


def s_mixed(rng):
    if rng.random() < 0.5:
        w = rng.choice(VI_WORDS)
        w = cap(w) if rng.random() < 0.7 else w
        if rng.random() < 0.4:
            w = fold(w)
        alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789" + SYMBOLS
        # A word that itself holds a weak fragment can never pass: give up and draw again.
        for _ in range(100):
            tail = "".join(rng.choice(alphabet) for _ in range(rng.randint(10, 14)))
            p = nfc(w + tail) if rng.random() < 0.6 else nfc(tail[:4] + w + tail[4:])
            if composition_ok(p) and not has_weak_fragment(p):
                return p
        return None
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS)]
    num = str(rng.randint(2, 59))
    time = rng.choice(TIMES).format(num)
    obj = rng.choice(OBJECTS)
    place = rng.choice(PLACES_S)
    order = rng.choice([[*parts, obj, place, time], [*parts, obj, time, place], [*parts, num, obj, place]])
    if num not in " ".join(order):
        order.append(num)
    sent = " ".join(order)
    if rng.random() < 0.3:
        sent = fold(sent)
    sep_mode = rng.random()
    if sep_mode < 0.5:
        p = sent + rng.choice(["!", ".", "?", "...", " :)"])
    else:
        p = sent.replace(" ", rng.choice(["-", "_", "."])) + rng.choice(["!", "", "?"])
    return nfc(p)


# ----------------------------------------------------------------------------------------------------
# Build, validate, write
# ----------------------------------------------------------------------------------------------------

WEAK_GENERATORS = {
    "name_year": (g_name_year, ["Hunghoang@1995", "Nguyen.Van.An@1990", "TranThiMai#88", "Nguyenvanhung@1975",
                                "Hoang.Lan@2001", "lanhuong@97A"]),
    "name_date": (g_name_date, ["Linh@12031998", "Tuan_0304"]),
    "date": (g_date, ["Ngay@30041975", "02/09/1945Ab"]),
    "phone": (g_phone, ["Ab@0912345678", "+84987654321Aa", "Lan@0983112233"]),
    "id_number": (g_id_number, ["01G60_Bv@2025", "01J63_bv@123"]),
    "vn_phrase": (g_vn_phrase, VN_PHRASE_HAND),
    "vn_diacritics": (g_vn_diacritics, VN_DIAC_HAND),
    "telex_vni": (g_telex_vni, TELEX_HAND),
    "leet": (g_leet, LEET_HAND),
    "place": (g_place, ["Hanoi@2024", "Saigon#1975", "DaNang@123", "Vungtau@88", "Thanglong@1010"]),
    "portal": (g_portal, PORTAL_HAND),
    "keyboard_classic": (g_keyboard_classic, KEYBOARD_HAND),
    "lucky_digits": (g_lucky_digits, LUCKY_HAND),
    "combo": (g_combo, COMBO_HAND),
}
STRONG_GENERATORS = {
    "strong_random": s_random,
    "strong_passphrase_vi": s_passphrase_vi,
    "strong_passphrase_en": s_passphrase_en,
    "strong_mixed": s_mixed,
}

# Hand-written personal entries (password, context, evidence token).
PERSONAL_HAND = [
    ("ThuHa@2024", {"full_name": "Nguyễn Thị Thu Hà", "date_of_birth": "1988-07-14",
                    "email": "thuha.nguyen88@gmail.com"}, "thuha"),
    ("01G60_Bv#1", {"full_name": "Trần Văn Ngạn", "username": "01G60_BV", "org_code": "01G60_BV"}, "01g60"),
    ("Khue.D@0412", {"full_name": "Đặng Minh Khuê", "date_of_birth": "1991-12-04",
                     "phone": "0358120477"}, "khue"),
    ("LuyPhung@1962", {"full_name": "Phùng Văn Lũy", "date_of_birth": "1962-03-09",
                       "national_id": "025062004718"}, "luyphung"),
    ("Diepntn@95", {"full_name": "Nguyễn Thị Ngọc Diệp", "email": "diepntn95@yahoo.com",
                    "date_of_birth": "1995-05-21"}, "diepntn"),
]


def build():
    seen = set()
    rows = []

    def add(p, label, cat, ctx=None):
        p = nfc(p)
        if p in seen or not composition_ok(p) or p != p.strip():
            return False
        seen.add(p)
        row = {"password": p, "label": label, "category": cat}
        if ctx:
            row["context"] = ctx
        rows.append(row)
        return True

    for cat, target in WEAK_TARGETS.items():
        rng = random.Random("%d:%s" % (SEED, cat))
        count = 0
        if cat == "personal":
            for pw, ctx, ev in PERSONAL_HAND:
                assert ev in fold(pw).lower(), (pw, ev)
                count += add(pw, "weak", cat, ctx)
            tries = 0
            while count < target:
                tries += 1
                assert tries < 20000, cat
                pw, ctx, ev = g_personal(rng)
                if ev not in fold(pw).lower():
                    continue
                count += add(pw, "weak", cat, ctx)
            continue
        gen, hand = WEAK_GENERATORS[cat]
        for pw in hand:
            assert composition_ok(pw), pw
            count += add(pw, "weak", cat)
        tries = 0
        while count < target:
            tries += 1
            assert tries < 20000, cat
            pw, ctx = gen(rng)
            if pw is None:
                continue
            count += add(pw, "weak", cat, ctx)

    for cat, target in STRONG_TARGETS.items():
        rng = random.Random("%d:%s" % (SEED, cat))
        gen = STRONG_GENERATORS[cat]
        count, tries = 0, 0
        while count < target:
            tries += 1
            assert tries < 20000, cat
            p = gen(rng)
            if p is not None:
                count += add(p, "strong", cat)
    return rows


def validate(rows):
    errors = []
    seen = set()
    counts = {}
    for i, r in enumerate(rows, 1):
        p = r.get("password")
        if not isinstance(p, str):
            errors.append("line %d: no password" % i)
            continue
        if p in seen:
            errors.append("line %d: duplicate %r" % (i, p))
        seen.add(p)
        if not composition_ok(p):
            errors.append("line %d: fails composition %r" % (i, p))
        if p != nfc(p):
            errors.append("line %d: not NFC %r" % (i, p))
        if r.get("label") not in ("weak", "strong"):
            errors.append("line %d: bad label" % i)
        if set(r) - {"password", "label", "category", "context"}:
            errors.append("line %d: unknown keys %s" % (i, sorted(set(r) - {"password", "label", "category", "context"})))
        ctx = r.get("context")
        if ctx is not None:
            bad = [k for k in ctx if k not in CONTEXT_FIELDS]
            if bad:
                errors.append("line %d: bad context fields %s" % (i, bad))
            nid = ctx.get("national_id")
            if nid is not None and not (len(nid) == 12 and nid.isdigit() and nid[:3] in PROVINCE_CODES):
                errors.append("line %d: bad national_id" % i)
            sic = ctx.get("social_insurance_code")
            if sic is not None and not (len(sic) == 10 and sic.isdigit()):
                errors.append("line %d: bad social_insurance_code" % i)
            dob = ctx.get("date_of_birth")
            if dob is not None:
                try:
                    y, m, d = (int(x) for x in dob.split("-"))
                    assert len(dob) == 10 and 1 <= d <= calendar.monthrange(y, m)[1]
                except Exception:
                    errors.append("line %d: bad date_of_birth" % i)
            if "extra" in ctx and not (isinstance(ctx["extra"], list) and all(isinstance(x, str) for x in ctx["extra"])):
                errors.append("line %d: extra must be a list of strings" % i)
        if r.get("category") == "personal" and not ctx:
            errors.append("line %d: personal without context" % i)
        if r.get("label") == "strong" and ctx:
            errors.append("line %d: strong entry with context" % i)
        key = (r.get("label"), r.get("category"))
        counts[key] = counts.get(key, 0) + 1
    return errors, counts


def report(rows):
    errors, counts = validate(rows)
    for (label, cat), n in sorted(counts.items()):
        print("%-7s %-22s %4d" % (label, cat, n))
    weak = sum(n for (l, _), n in counts.items() if l == "weak")
    strong = sum(n for (l, _), n in counts.items() if l == "strong")
    print("weak %d, strong %d, total %d" % (weak, strong, len(rows)))
    print("VI passphrase word list: %d words (%d without diacritics); EN list: %d words"
          % (len(VI_WORDS), len(set(fold(w).lower() for w in VI_WORDS)), len(EN_WORDS)))
    for e in errors:
        print("ERROR", e)
    return not errors


def main():
    if "--check" in sys.argv:
        rows = [json.loads(l) for l in OUT.read_text(encoding="utf-8").splitlines() if l.strip()]
        sys.exit(0 if report(rows) else 1)
    assert len(VI_WORDS) >= 300, len(VI_WORDS)
    assert len(set(fold(w).lower() for w in VI_WORDS)) >= 300
    rows = build()
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    ok = report(rows)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
