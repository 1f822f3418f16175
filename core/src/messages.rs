//! Every problem and suggestion code with its Vietnamese and English text.

use crate::Policy;

pub use matkhau_abi::Locale;

/// Every code this crate can emit, for tests and for clients that translate codes themselves.
pub const CODES: &[&str] = &[
    "length.min",
    "length.max",
    "class.upper",
    "class.lower",
    "class.digit",
    "class.special",
    "chars.invisible",
    "repeat.chars",
    "sequence.chars",
    "personal.data",
    "identifier",
    "strength.score",
    "breach",
    "breach.reported",
    "breach.corpus",
    "personal.name",
    "personal.username",
    "personal.email",
    "personal.birth_date",
    "personal.phone",
    "personal.national_id",
    "personal.social_insurance",
    "personal.org_code",
    "personal.extra",
    "vn.phone",
    "vn.national_id",
    "vn.social_insurance",
    "vn.facility_code",
    "vn.health_card",
    "vn.tax_code",
    "vn.decorated",
    "vn.name",
    "vn.name_year",
    "vn.date",
    "vn.year",
    "vn.word",
    "vn.telex",
    "vn.place",
    "vn.portal",
    "common.password",
    "pattern.repeat",
    "pattern.sequence",
    "pattern.leet",
    "zxcvbn.straight_rows",
    "zxcvbn.short_keyboard",
    "zxcvbn.repeats",
    "zxcvbn.repeats_words",
    "zxcvbn.top10",
    "zxcvbn.top100",
    "zxcvbn.common",
    "zxcvbn.similar_common",
    "zxcvbn.sequences",
    "zxcvbn.recent_years",
    "zxcvbn.single_word",
    "zxcvbn.dates",
    "zxcvbn.names",
    "zxcvbn.common_names",
    "suggest.passphrase",
    "suggest.add_word",
    "suggest.avoid_personal",
    "suggest.avoid_name_year",
    "suggest.avoid_dates",
    "suggest.avoid_identifiers",
    "suggest.avoid_common",
    "suggest.capitals",
    "suggest.all_upper",
    "suggest.reversed",
    "suggest.leet",
    "suggest.longer_keyboard",
    "suggest.avoid_repeats",
    "suggest.avoid_sequences",
    "suggest.avoid_years",
    "suggest.generator",
    "suggest.remove_invisible",
    "suggest.shorter",
];

/// The message for `code` in `locale`; numbers in it come from `policy`.
pub fn text(code: &str, locale: Locale, policy: &Policy) -> String {
    let (vi, en) = template(code);
    fill(code, if locale == Locale::En { en } else { vi }, policy)
}

/// `template` with `{n}` replaced by the policy's number for `code`.
fn fill(code: &str, template: &str, policy: &Policy) -> String {
    let number = match code {
        "length.min" => policy.min_length,
        "length.max" => policy.max_length,
        "repeat.chars" => policy.max_repeat,
        "sequence.chars" => policy.max_sequence,
        "strength.score" => u32::from(policy.min_score),
        _ => return template.to_string(),
    };
    template.replace("{n}", &number.to_string())
}

/// The short name of a check (a `checks[].code` of the verdict) for a rule checklist, phrased as
/// the rule to meet ("At least 8 characters"); numbers come from `policy`. `None` for codes that
/// are not checks.
pub fn label(code: &str, locale: Locale, policy: &Policy) -> Option<String> {
    let (vi, en) = match code {
        "length.min" => ("Ít nhất {n} ký tự", "At least {n} characters"),
        "length.max" => ("Không quá {n} ký tự", "At most {n} characters"),
        "class.upper" => ("Có chữ in hoa (A–Z)", "An upper-case letter (A–Z)"),
        "class.lower" => ("Có chữ thường (a–z)", "A lower-case letter (a–z)"),
        "class.digit" => ("Có chữ số (0–9)", "A digit (0–9)"),
        "class.special" => (
            "Có ký tự đặc biệt (@ # ! …)",
            "A special character (@ # ! …)",
        ),
        "chars.invisible" => ("Không có ký tự vô hình", "No invisible characters"),
        "repeat.chars" => (
            "Không lặp một ký tự quá {n} lần",
            "No character repeated over {n} times",
        ),
        "sequence.chars" => (
            "Không có dãy liên tiếp dài quá {n}",
            "No run like abcd longer than {n}",
        ),
        "personal.data" => ("Không chứa thông tin cá nhân", "None of your personal data"),
        "identifier" => (
            "Không chứa số điện thoại, số giấy tờ",
            "No phone or document numbers",
        ),
        "strength.score" => (
            "Khó đoán (độ mạnh từ {n}/4)",
            "Hard to guess (strength {n}/4 or more)",
        ),
        "breach" => ("Chưa từng bị lộ", "Not in any known leak"),
        _ => return None,
    };
    Some(fill(
        code,
        if locale == Locale::En { en } else { vi },
        policy,
    ))
}

/// Vietnamese and English text of a code; `{n}` stands for the policy's number.
fn template(code: &str) -> (&'static str, &'static str) {
    match code {
        "length.min" => ("Mật khẩu phải có ít nhất {n} ký tự.", "Use at least {n} characters."),
        "length.max" => ("Mật khẩu không được dài quá {n} ký tự.", "Use at most {n} characters."),
        "repeat.chars" => ("Không lặp lại một ký tự quá {n} lần liên tiếp.", "Do not repeat a character more than {n} times in a row."),
        "sequence.chars" => ("Không dùng dãy liên tiếp dài quá {n} ký tự (như abcd, 1234).", "Do not use runs longer than {n} characters like abcd or 1234."),
        "strength.score" => ("Mật khẩu quá dễ đoán (độ mạnh cần đạt ít nhất {n}/4).", "This password is too easy to guess (strength must be at least {n}/4)."),
        "class.upper" => ("Cần ít nhất một chữ in hoa (A–Z, Ă, Â, Đ…).", "Add an upper-case letter."),
        "class.lower" => ("Cần ít nhất một chữ thường (a–z, ă, â, đ…).", "Add a lower-case letter."),
        "class.digit" => ("Cần ít nhất một chữ số (0–9).", "Add a digit."),
        "class.special" => ("Cần ít nhất một ký tự đặc biệt (như @ * & ! # hoặc dấu cách).", "Add a special character (such as @ * & ! # or a space)."),
        "chars.invisible" => ("Mật khẩu chứa ký tự điều khiển hoặc ký tự vô hình.", "The password contains control or invisible characters."),
        "personal.data" => ("Mật khẩu chứa thông tin cá nhân của bạn.", "The password contains your personal information."),
        "identifier" => ("Mật khẩu chứa số điện thoại hoặc số giấy tờ.", "The password contains a phone or document number."),
        "personal.name" => ("Mật khẩu chứa họ tên của bạn.", "The password contains your name."),
        "personal.username" => ("Mật khẩu chứa tên đăng nhập.", "The password contains your username."),
        "personal.email" => ("Mật khẩu chứa địa chỉ thư điện tử của bạn.", "The password contains your e-mail address."),
        "personal.birth_date" => ("Mật khẩu chứa ngày sinh hoặc năm sinh của bạn.", "The password contains your date or year of birth."),
        "personal.phone" => ("Mật khẩu chứa số điện thoại của bạn.", "The password contains your phone number."),
        "personal.national_id" => ("Mật khẩu chứa số căn cước công dân của bạn.", "The password contains your citizen ID number."),
        "personal.social_insurance" => ("Mật khẩu chứa mã số bảo hiểm xã hội của bạn.", "The password contains your social insurance code."),
        "personal.org_code" => ("Mật khẩu chứa mã đơn vị của bạn.", "The password contains your organisation code."),
        "personal.extra" => ("Mật khẩu chứa thông tin đã đăng ký của bạn.", "The password contains information registered for your account."),
        "vn.phone" => ("Mật khẩu chứa một số điện thoại di động; số điện thoại dễ bị lộ và dễ đoán.", "The password contains a mobile phone number; phone numbers are public and easy to guess."),
        "vn.national_id" => ("Mật khẩu chứa một dãy số giống số căn cước công dân.", "The password contains a number shaped like a citizen ID."),
        "vn.social_insurance" => ("Mật khẩu chứa một dãy 10 chữ số giống mã số bảo hiểm xã hội.", "The password contains a 10-digit number shaped like a social insurance code."),
        "vn.facility_code" => ("Mật khẩu chứa một mã cơ sở khám chữa bệnh hoặc mã đơn vị.", "The password contains a health-facility or unit code."),
        "vn.health_card" => ("Mật khẩu chứa một mã giống mã thẻ bảo hiểm y tế.", "The password contains a code shaped like a health-insurance card number."),
        "vn.tax_code" => ("Mật khẩu chứa một dãy 13 chữ số giống mã số thuế.", "The password contains a 13-digit number shaped like a tax code."),
        "vn.decorated" => ("Mật khẩu chỉ là từ, tên, ngày tháng hoặc số dễ đoán, thêm vài số hay ký hiệu cho đủ quy định.", "The password is only guessable words, names, dates or numbers with a few digits or symbols added to meet the rules."),
        "vn.name" => ("Họ tên người Việt rất dễ đoán, kể cả khi viết không dấu.", "Vietnamese names are easy to guess, with or without diacritics."),
        "vn.name_year" => ("Họ tên kèm năm sinh hoặc ngày sinh là kiểu mật khẩu bị dò ra đầu tiên.", "A name with a birth year or date is among the first things attackers try."),
        "vn.date" => ("Ngày tháng năm rất dễ đoán.", "Dates are easy to guess."),
        "vn.year" => ("Năm (như năm sinh) rất dễ đoán.", "Years, such as birth years, are easy to guess."),
        "vn.word" => ("Từ hoặc cụm từ tiếng Việt thông dụng rất dễ đoán, kể cả khi bỏ dấu.", "Common Vietnamese words and phrases are easy to guess, even without diacritics."),
        "vn.telex" => ("Gõ kiểu Telex hoặc VNI khi tắt bộ gõ không làm mật khẩu khó đoán hơn.", "Typing Vietnamese in Telex or VNI keystrokes does not make it harder to guess."),
        "vn.place" => ("Tên tỉnh, thành phố, địa danh rất dễ đoán.", "Place names are easy to guess."),
        "vn.portal" => ("Không dùng tên cơ quan, cổng dịch vụ hay từ như “bảo hiểm xã hội” làm mật khẩu.", "Do not use the agency's or portal's own words, such as “bảo hiểm xã hội”."),
        "breach" => ("Mật khẩu này đã bị lộ.", "This password has leaked."),
        "breach.reported" => ("Mật khẩu này có trong một báo cáo lộ lọt tài khoản; kẻ gian đã biết nó.", "This password was in a report of leaked accounts; attackers already know it."),
        "breach.corpus" => ("Mật khẩu này có trong dữ liệu mật khẩu bị lộ mà kẻ gian dùng để dò mật khẩu.", "This password is in the leaked-password lists attackers try first."),
        "common.password" => ("Đây là một mật khẩu rất phổ biến.", "This is a very common password."),
        "pattern.repeat" => ("Các ký tự hoặc cụm lặp lại rất dễ đoán.", "Repeated characters or groups are easy to guess."),
        "pattern.sequence" => ("Dãy liên tiếp như abc, 123, 987 rất dễ đoán.", "Sequences like abc, 123 or 987 are easy to guess."),
        "pattern.leet" => ("Thay chữ bằng ký hiệu (@ cho a, 0 cho o) không giúp nhiều.", "Swapping letters for look-alike symbols (@ for a, 0 for o) does not help much."),
        "zxcvbn.straight_rows" => ("Các hàng phím thẳng rất dễ đoán.", "Straight rows of keys are easy to guess."),
        "zxcvbn.short_keyboard" => ("Các mẫu bàn phím ngắn rất dễ đoán.", "Short keyboard patterns are easy to guess."),
        "zxcvbn.repeats" => ("Lặp lại như “aaa” rất dễ đoán.", "Repeats like \"aaa\" are easy to guess."),
        "zxcvbn.repeats_words" => ("Lặp lại như “abcabcabc” chỉ khó đoán hơn “abc” một chút.", "Repeats like \"abcabcabc\" are only slightly harder to guess than \"abc\"."),
        "zxcvbn.top10" => ("Đây là một trong 10 mật khẩu phổ biến nhất.", "This is a top-10 common password."),
        "zxcvbn.top100" => ("Đây là một trong 100 mật khẩu phổ biến nhất.", "This is a top-100 common password."),
        "zxcvbn.common" => ("Đây là một mật khẩu rất phổ biến.", "This is a very common password."),
        "zxcvbn.similar_common" => ("Mật khẩu này gần giống một mật khẩu phổ biến.", "This is similar to a commonly used password."),
        "zxcvbn.sequences" => ("Dãy như abc hoặc 6543 rất dễ đoán.", "Sequences like abc or 6543 are easy to guess."),
        "zxcvbn.recent_years" => ("Những năm gần đây rất dễ đoán.", "Recent years are easy to guess."),
        "zxcvbn.single_word" => ("Một từ đứng riêng rất dễ đoán.", "A word by itself is easy to guess."),
        "zxcvbn.dates" => ("Ngày tháng thường rất dễ đoán.", "Dates are often easy to guess."),
        "zxcvbn.names" => ("Tên và họ đứng riêng rất dễ đoán.", "Names and surnames by themselves are easy to guess."),
        "zxcvbn.common_names" => ("Tên và họ phổ biến rất dễ đoán.", "Common names and surnames are easy to guess."),
        "suggest.passphrase" => ("Dùng một cụm gồm vài từ ngẫu nhiên, không liên quan đến nhau, tránh câu quen thuộc.", "Use a few random, unrelated words; avoid common phrases."),
        "suggest.add_word" => ("Thêm một hoặc hai từ nữa, càng ít gặp càng tốt.", "Add another word or two. Uncommon words are better."),
        "suggest.avoid_personal" => ("Tránh dùng họ tên, ngày sinh, số điện thoại, số giấy tờ hay mã đơn vị của bạn.", "Avoid your name, birth date, phone number, document numbers or organisation code."),
        "suggest.avoid_name_year" => ("Tránh dùng họ tên kèm năm sinh hoặc ngày sinh.", "Avoid a name combined with a birth year or date."),
        "suggest.avoid_dates" => ("Tránh dùng ngày tháng năm có ý nghĩa với bạn.", "Avoid dates and years that mean something to you."),
        "suggest.avoid_identifiers" => ("Tránh dùng số điện thoại, số căn cước, mã số bảo hiểm xã hội.", "Avoid phone numbers, citizen ID numbers and social insurance codes."),
        "suggest.avoid_common" => ("Tránh các từ, cụm từ và mật khẩu phổ biến.", "Avoid common words, phrases and passwords."),
        "suggest.capitals" => ("Viết hoa chữ đầu không giúp nhiều.", "Capitalization doesn't help very much."),
        "suggest.all_upper" => ("Viết hoa toàn bộ gần như dễ đoán như viết thường.", "All-uppercase is almost as easy to guess as all-lowercase."),
        "suggest.reversed" => ("Viết ngược từ không làm nó khó đoán hơn nhiều.", "Reversed words aren't much harder to guess."),
        "suggest.leet" => ("Thay chữ bằng ký hiệu dễ đoán (như @ thay cho a) không giúp nhiều.", "Predictable substitutions like '@' instead of 'a' don't help very much."),
        "suggest.longer_keyboard" => ("Dùng mẫu bàn phím dài hơn với nhiều lần đổi hướng.", "Use a longer keyboard pattern with more turns."),
        "suggest.avoid_repeats" => ("Tránh lặp lại từ và ký tự.", "Avoid repeated words and characters."),
        "suggest.avoid_sequences" => ("Tránh các dãy liên tiếp.", "Avoid sequences."),
        "suggest.avoid_years" => ("Tránh các năm gần đây và năm gắn với bạn.", "Avoid recent years and years associated with you."),
        "suggest.generator" => ("Bạn có thể dùng nút “Gợi ý mật khẩu mạnh” để tạo một mật khẩu ngẫu nhiên.", "You can use “Suggest a strong password” to generate a random one."),
        "suggest.remove_invisible" => ("Xoá các ký tự vô hình (thường có khi sao chép, dán).", "Remove invisible characters (often picked up by copy and paste)."),
        "suggest.shorter" => ("Dùng mật khẩu ngắn hơn.", "Use a shorter password."),
        _ => ("Mật khẩu chưa đạt yêu cầu.", "The password does not meet the policy."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_both_texts() {
        let p = Policy::default();
        let fallback = template("no.such.code");
        for code in CODES {
            let (vi, en) = (text(code, Locale::Vi, &p), text(code, Locale::En, &p));
            assert_ne!(vi, fallback.0, "{code} has no Vietnamese text");
            assert_ne!(en, fallback.1, "{code} has no English text");
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
