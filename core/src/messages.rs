//! Every problem and suggestion code with its Vietnamese and English text (the checks' own texts
//! are in [`crate::checks`]), and the language of messages.

use crate::checks::{self, Text};
use crate::Policy;

pub use matkhau_abi::Locale;

/// The problem and suggestion codes that are not checks, with their texts, in a fixed order.
pub const TEXTS: &[(&str, Text)] = &[
    (
        "breach.reported",
        Text {
            vi: "Mật khẩu này có trong một báo cáo lộ lọt tài khoản; kẻ gian đã biết nó.",
            en: "This password was in a report of leaked accounts; attackers already know it.",
        },
    ),
    (
        "breach.corpus",
        Text {
            vi: "Mật khẩu này có trong dữ liệu mật khẩu bị lộ mà kẻ gian dùng để dò mật khẩu.",
            en: "This password is in the leaked-password lists attackers try first.",
        },
    ),
    (
        "personal.name",
        Text {
            vi: "Mật khẩu chứa họ tên của bạn.",
            en: "The password contains your name.",
        },
    ),
    (
        "personal.username",
        Text {
            vi: "Mật khẩu chứa tên đăng nhập.",
            en: "The password contains your username.",
        },
    ),
    (
        "personal.email",
        Text {
            vi: "Mật khẩu chứa địa chỉ thư điện tử của bạn.",
            en: "The password contains your e-mail address.",
        },
    ),
    (
        "personal.birth_date",
        Text {
            vi: "Mật khẩu chứa ngày sinh hoặc năm sinh của bạn.",
            en: "The password contains your date or year of birth.",
        },
    ),
    (
        "personal.phone",
        Text {
            vi: "Mật khẩu chứa số điện thoại của bạn.",
            en: "The password contains your phone number.",
        },
    ),
    (
        "personal.national_id",
        Text {
            vi: "Mật khẩu chứa số căn cước công dân của bạn.",
            en: "The password contains your citizen ID number.",
        },
    ),
    (
        "personal.social_insurance",
        Text {
            vi: "Mật khẩu chứa mã số bảo hiểm xã hội của bạn.",
            en: "The password contains your social insurance code.",
        },
    ),
    (
        "personal.org_code",
        Text {
            vi: "Mật khẩu chứa mã đơn vị của bạn.",
            en: "The password contains your organisation code.",
        },
    ),
    (
        "personal.extra",
        Text {
            vi: "Mật khẩu chứa thông tin đã đăng ký của bạn.",
            en: "The password contains information registered for your account.",
        },
    ),
    (
        "vn.phone",
        Text {
            vi: "Mật khẩu chứa một số điện thoại di động; số điện thoại dễ bị lộ và dễ đoán.",
            en: "The password contains a mobile phone number; phone numbers are public and easy to guess.",
        },
    ),
    (
        "vn.national_id",
        Text {
            vi: "Mật khẩu chứa một dãy số giống số căn cước công dân.",
            en: "The password contains a number shaped like a citizen ID.",
        },
    ),
    (
        "vn.social_insurance",
        Text {
            vi: "Mật khẩu chứa một dãy 10 chữ số giống mã số bảo hiểm xã hội.",
            en: "The password contains a 10-digit number shaped like a social insurance code.",
        },
    ),
    (
        "vn.facility_code",
        Text {
            vi: "Mật khẩu chứa một mã cơ sở khám chữa bệnh hoặc mã đơn vị.",
            en: "The password contains a health-facility or unit code.",
        },
    ),
    (
        "vn.health_card",
        Text {
            vi: "Mật khẩu chứa một mã giống mã thẻ bảo hiểm y tế.",
            en: "The password contains a code shaped like a health-insurance card number.",
        },
    ),
    (
        "vn.tax_code",
        Text {
            vi: "Mật khẩu chứa một dãy 13 chữ số giống mã số thuế.",
            en: "The password contains a 13-digit number shaped like a tax code.",
        },
    ),
    (
        "vn.decorated",
        Text {
            vi: "Mật khẩu chỉ là từ, tên, ngày tháng hoặc số dễ đoán, thêm vài số hay ký hiệu cho đủ quy định.",
            en: "The password is only guessable words, names, dates or numbers with a few digits or symbols added to meet the rules.",
        },
    ),
    (
        "vn.name",
        Text {
            vi: "Họ tên người Việt rất dễ đoán, kể cả khi viết không dấu.",
            en: "Vietnamese names are easy to guess, with or without diacritics.",
        },
    ),
    (
        "vn.name_year",
        Text {
            vi: "Họ tên kèm năm sinh hoặc ngày sinh là kiểu mật khẩu bị dò ra đầu tiên.",
            en: "A name with a birth year or date is among the first things attackers try.",
        },
    ),
    (
        "vn.date",
        Text {
            vi: "Ngày tháng năm rất dễ đoán.",
            en: "Dates are easy to guess.",
        },
    ),
    (
        "vn.year",
        Text {
            vi: "Năm (như năm sinh) rất dễ đoán.",
            en: "Years, such as birth years, are easy to guess.",
        },
    ),
    (
        "vn.word",
        Text {
            vi: "Từ hoặc cụm từ tiếng Việt thông dụng rất dễ đoán, kể cả khi bỏ dấu.",
            en: "Common Vietnamese words and phrases are easy to guess, even without diacritics.",
        },
    ),
    (
        "vn.telex",
        Text {
            vi: "Gõ kiểu Telex hoặc VNI khi tắt bộ gõ không làm mật khẩu khó đoán hơn.",
            en: "Typing Vietnamese in Telex or VNI keystrokes does not make it harder to guess.",
        },
    ),
    (
        "vn.place",
        Text {
            vi: "Tên tỉnh, thành phố, địa danh rất dễ đoán.",
            en: "Place names are easy to guess.",
        },
    ),
    (
        "vn.portal",
        Text {
            vi: "Không dùng tên cơ quan, cổng dịch vụ hay từ như “bảo hiểm xã hội” làm mật khẩu.",
            en: "Do not use the agency's or portal's own words, such as “bảo hiểm xã hội”.",
        },
    ),
    (
        "common.password",
        Text {
            vi: "Đây là một mật khẩu rất phổ biến.",
            en: "This is a very common password.",
        },
    ),
    (
        "pattern.repeat",
        Text {
            vi: "Các ký tự hoặc cụm lặp lại rất dễ đoán.",
            en: "Repeated characters or groups are easy to guess.",
        },
    ),
    (
        "pattern.sequence",
        Text {
            vi: "Dãy liên tiếp như abc, 123, 987 rất dễ đoán.",
            en: "Sequences like abc, 123 or 987 are easy to guess.",
        },
    ),
    (
        "pattern.leet",
        Text {
            vi: "Thay chữ bằng ký hiệu (@ cho a, 0 cho o) không giúp nhiều.",
            en: "Swapping letters for look-alike symbols (@ for a, 0 for o) does not help much.",
        },
    ),
    (
        "zxcvbn.straight_rows",
        Text {
            vi: "Các hàng phím thẳng rất dễ đoán.",
            en: "Straight rows of keys are easy to guess.",
        },
    ),
    (
        "zxcvbn.short_keyboard",
        Text {
            vi: "Các mẫu bàn phím ngắn rất dễ đoán.",
            en: "Short keyboard patterns are easy to guess.",
        },
    ),
    (
        "zxcvbn.repeats",
        Text {
            vi: "Lặp lại như “aaa” rất dễ đoán.",
            en: "Repeats like \"aaa\" are easy to guess.",
        },
    ),
    (
        "zxcvbn.repeats_words",
        Text {
            vi: "Lặp lại như “abcabcabc” chỉ khó đoán hơn “abc” một chút.",
            en: "Repeats like \"abcabcabc\" are only slightly harder to guess than \"abc\".",
        },
    ),
    (
        "zxcvbn.top10",
        Text {
            vi: "Đây là một trong 10 mật khẩu phổ biến nhất.",
            en: "This is a top-10 common password.",
        },
    ),
    (
        "zxcvbn.top100",
        Text {
            vi: "Đây là một trong 100 mật khẩu phổ biến nhất.",
            en: "This is a top-100 common password.",
        },
    ),
    (
        "zxcvbn.common",
        Text {
            vi: "Đây là một mật khẩu rất phổ biến.",
            en: "This is a very common password.",
        },
    ),
    (
        "zxcvbn.similar_common",
        Text {
            vi: "Mật khẩu này gần giống một mật khẩu phổ biến.",
            en: "This is similar to a commonly used password.",
        },
    ),
    (
        "zxcvbn.sequences",
        Text {
            vi: "Dãy như abc hoặc 6543 rất dễ đoán.",
            en: "Sequences like abc or 6543 are easy to guess.",
        },
    ),
    (
        "zxcvbn.recent_years",
        Text {
            vi: "Những năm gần đây rất dễ đoán.",
            en: "Recent years are easy to guess.",
        },
    ),
    (
        "zxcvbn.single_word",
        Text {
            vi: "Một từ đứng riêng rất dễ đoán.",
            en: "A word by itself is easy to guess.",
        },
    ),
    (
        "zxcvbn.dates",
        Text {
            vi: "Ngày tháng thường rất dễ đoán.",
            en: "Dates are often easy to guess.",
        },
    ),
    (
        "zxcvbn.names",
        Text {
            vi: "Tên và họ đứng riêng rất dễ đoán.",
            en: "Names and surnames by themselves are easy to guess.",
        },
    ),
    (
        "zxcvbn.common_names",
        Text {
            vi: "Tên và họ phổ biến rất dễ đoán.",
            en: "Common names and surnames are easy to guess.",
        },
    ),
    (
        "suggest.passphrase",
        Text {
            vi: "Dùng một cụm gồm vài từ ngẫu nhiên, không liên quan đến nhau, tránh câu quen thuộc.",
            en: "Use a few random, unrelated words; avoid common phrases.",
        },
    ),
    (
        "suggest.add_word",
        Text {
            vi: "Thêm một hoặc hai từ nữa, càng ít gặp càng tốt.",
            en: "Add another word or two. Uncommon words are better.",
        },
    ),
    (
        "suggest.avoid_personal",
        Text {
            vi: "Tránh dùng họ tên, ngày sinh, số điện thoại, số giấy tờ hay mã đơn vị của bạn.",
            en: "Avoid your name, birth date, phone number, document numbers or organisation code.",
        },
    ),
    (
        "suggest.avoid_name_year",
        Text {
            vi: "Tránh dùng họ tên kèm năm sinh hoặc ngày sinh.",
            en: "Avoid a name combined with a birth year or date.",
        },
    ),
    (
        "suggest.avoid_dates",
        Text {
            vi: "Tránh dùng ngày tháng năm có ý nghĩa với bạn.",
            en: "Avoid dates and years that mean something to you.",
        },
    ),
    (
        "suggest.avoid_identifiers",
        Text {
            vi: "Tránh dùng số điện thoại, số căn cước, mã số bảo hiểm xã hội.",
            en: "Avoid phone numbers, citizen ID numbers and social insurance codes.",
        },
    ),
    (
        "suggest.avoid_common",
        Text {
            vi: "Tránh các từ, cụm từ và mật khẩu phổ biến.",
            en: "Avoid common words, phrases and passwords.",
        },
    ),
    (
        "suggest.capitals",
        Text {
            vi: "Viết hoa chữ đầu không giúp nhiều.",
            en: "Capitalization doesn't help very much.",
        },
    ),
    (
        "suggest.all_upper",
        Text {
            vi: "Viết hoa toàn bộ gần như dễ đoán như viết thường.",
            en: "All-uppercase is almost as easy to guess as all-lowercase.",
        },
    ),
    (
        "suggest.reversed",
        Text {
            vi: "Viết ngược từ không làm nó khó đoán hơn nhiều.",
            en: "Reversed words aren't much harder to guess.",
        },
    ),
    (
        "suggest.leet",
        Text {
            vi: "Thay chữ bằng ký hiệu dễ đoán (như @ thay cho a) không giúp nhiều.",
            en: "Predictable substitutions like '@' instead of 'a' don't help very much.",
        },
    ),
    (
        "suggest.longer_keyboard",
        Text {
            vi: "Dùng mẫu bàn phím dài hơn với nhiều lần đổi hướng.",
            en: "Use a longer keyboard pattern with more turns.",
        },
    ),
    (
        "suggest.avoid_repeats",
        Text {
            vi: "Tránh lặp lại từ và ký tự.",
            en: "Avoid repeated words and characters.",
        },
    ),
    (
        "suggest.avoid_sequences",
        Text {
            vi: "Tránh các dãy liên tiếp.",
            en: "Avoid sequences.",
        },
    ),
    (
        "suggest.avoid_years",
        Text {
            vi: "Tránh các năm gần đây và năm gắn với bạn.",
            en: "Avoid recent years and years associated with you.",
        },
    ),
    (
        "suggest.generator",
        Text {
            vi: "Bạn có thể dùng nút “Gợi ý mật khẩu mạnh” để tạo một mật khẩu ngẫu nhiên.",
            en: "You can use “Suggest a strong password” to generate a random one.",
        },
    ),
    (
        "suggest.remove_invisible",
        Text {
            vi: "Xoá các ký tự vô hình (thường có khi sao chép, dán).",
            en: "Remove invisible characters (often picked up by copy and paste).",
        },
    ),
    (
        "suggest.shorter",
        Text {
            vi: "Dùng mật khẩu ngắn hơn.",
            en: "Use a shorter password.",
        },
    ),
];

/// Every code this crate can emit (checks first, in the verdict's order), for clients that
/// translate codes themselves.
pub fn codes() -> impl Iterator<Item = &'static str> {
    checks::CHECKS
        .iter()
        .map(|r| r.code)
        .chain(TEXTS.iter().map(|(code, _)| *code))
}

/// The text of a code no table knows.
const UNKNOWN: Text = Text {
    vi: "Mật khẩu chưa đạt yêu cầu.",
    en: "The password does not meet the policy.",
};

/// The message for `code` in `locale`; numbers in it come from `policy`.
pub fn text(code: &str, locale: Locale, policy: &Policy) -> String {
    match checks::rule(code) {
        Some(rule) => fill(rule.text, rule.number, locale, policy),
        None => {
            let text = TEXTS
                .iter()
                .find(|(c, _)| *c == code)
                .map_or(UNKNOWN, |(_, t)| *t);
            fill(text, None, locale, policy)
        }
    }
}

/// The checklist label of a check (a `checks[].code` of the verdict), phrased as the rule to
/// meet ("At least 8 characters"); numbers come from `policy`. `None` for codes that are not
/// checks.
pub fn label(code: &str, locale: Locale, policy: &Policy) -> Option<String> {
    let rule = checks::rule(code)?;
    Some(fill(rule.label, rule.number, locale, policy))
}

/// `text` in `locale`, with `{n}` replaced by the policy's number.
fn fill(text: Text, number: Option<fn(&Policy) -> u32>, locale: Locale, policy: &Policy) -> String {
    let template = match locale {
        Locale::Vi => text.vi,
        Locale::En => text.en,
    };
    match number {
        Some(n) => template.replace("{n}", &n(policy).to_string()),
        None => template.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_both_texts() {
        let p = Policy::default();
        for code in codes() {
            let (vi, en) = (text(code, Locale::Vi, &p), text(code, Locale::En, &p));
            assert_ne!(vi, UNKNOWN.vi, "{code} has no Vietnamese text");
            assert_ne!(en, UNKNOWN.en, "{code} has no English text");
            assert_ne!(vi, en, "{code} is not translated");
        }
    }

    #[test]
    fn every_check_has_a_checklist_label() {
        let p = Policy::default();
        let v = crate::evaluate("x", &crate::Context::default(), &p, Locale::Vi);
        for check in &v.checks {
            let vi = label(&check.code, Locale::Vi, &p).expect("a label");
            let en = label(&check.code, Locale::En, &p).expect("a label");
            assert_ne!(vi, en, "{} is not translated", check.code);
        }
        assert_eq!(
            label("length.min", Locale::En, &p).unwrap(),
            "At least 8 characters"
        );
        assert_eq!(label("vn.name", Locale::En, &p), None);
    }

    #[test]
    fn locale_parsing() {
        assert_eq!(Locale::from_tag("vi-VN"), Some(Locale::Vi));
        assert_eq!(Locale::from_tag("EN"), Some(Locale::En));
        assert_eq!(Locale::from_tag("fr"), None);
        assert_eq!(Locale::default(), Locale::Vi);
    }
}
