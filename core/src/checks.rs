//! Every check of the verdict, in the verdict's order, with everything but its logic: its code,
//! the message of its failure, its checklist label, the advice its failure adds, the policy
//! number its texts use, and whether a policy enables it. A new rule is one entry here plus its
//! logic (`rules/`, `strength/`) and the line of `evaluate` that runs it.

use crate::Policy;

/// A text in both languages; `{n}` stands for the check's policy number.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    /// Tiếng Việt.
    pub vi: &'static str,
    /// English.
    pub en: &'static str,
}

/// The advice a failed check adds to the verdict's suggestions.
#[derive(Debug, Clone, Copy)]
pub enum Advice {
    /// These suggestion codes.
    Codes(&'static [&'static str]),
    /// The strength estimator's own suggestions for this password.
    Estimate,
}

/// A check of the verdict.
#[derive(Debug, Clone, Copy)]
pub struct CheckRule {
    /// Its stable code (`checks[].code`, and the problem code of a plain failure).
    pub code: &'static str,
    /// The message of its failure.
    pub text: Text,
    /// Its checklist label, phrased as the rule to meet.
    pub label: Text,
    /// What a failure suggests.
    pub advice: Advice,
    /// The policy's number in its texts (`{n}`).
    pub number: Option<fn(&Policy) -> u32>,
    /// Whether the verdict has this check under a policy (`breach` only comes with an exposure).
    pub enabled: fn(&Policy) -> bool,
}

/// Every check, in the order the verdict lists them.
pub const CHECKS: &[CheckRule] = &[
    CheckRule {
        code: "length.min",
        text: Text {
            vi: "Mật khẩu phải có ít nhất {n} ký tự.",
            en: "Use at least {n} characters.",
        },
        label: Text {
            vi: "Ít nhất {n} ký tự",
            en: "At least {n} characters",
        },
        advice: Advice::Codes(&[]),
        number: Some(|p| p.min_length),
        enabled: |_| true,
    },
    CheckRule {
        code: "length.max",
        text: Text {
            vi: "Mật khẩu không được dài quá {n} ký tự.",
            en: "Use at most {n} characters.",
        },
        label: Text {
            vi: "Không quá {n} ký tự",
            en: "At most {n} characters",
        },
        advice: Advice::Codes(&["suggest.shorter"]),
        number: Some(|p| p.max_length),
        enabled: |_| true,
    },
    CheckRule {
        code: "class.upper",
        text: Text {
            vi: "Cần ít nhất một chữ in hoa (A–Z, Ă, Â, Đ…).",
            en: "Add an upper-case letter.",
        },
        label: Text {
            vi: "Có chữ in hoa (A–Z)",
            en: "An upper-case letter (A–Z)",
        },
        advice: Advice::Codes(&[]),
        number: None,
        enabled: |p| p.require_upper,
    },
    CheckRule {
        code: "class.lower",
        text: Text {
            vi: "Cần ít nhất một chữ thường (a–z, ă, â, đ…).",
            en: "Add a lower-case letter.",
        },
        label: Text {
            vi: "Có chữ thường (a–z)",
            en: "A lower-case letter (a–z)",
        },
        advice: Advice::Codes(&[]),
        number: None,
        enabled: |p| p.require_lower,
    },
    CheckRule {
        code: "class.digit",
        text: Text {
            vi: "Cần ít nhất một chữ số (0–9).",
            en: "Add a digit.",
        },
        label: Text {
            vi: "Có chữ số (0–9)",
            en: "A digit (0–9)",
        },
        advice: Advice::Codes(&[]),
        number: None,
        enabled: |p| p.require_digit,
    },
    CheckRule {
        code: "class.special",
        text: Text {
            vi: "Cần ít nhất một ký tự đặc biệt (như @ * & ! # hoặc dấu cách).",
            en: "Add a special character (such as @ * & ! # or a space).",
        },
        label: Text {
            vi: "Có ký tự đặc biệt (@ # ! …)",
            en: "A special character (@ # ! …)",
        },
        advice: Advice::Codes(&[]),
        number: None,
        enabled: |p| p.require_special,
    },
    CheckRule {
        code: "chars.invisible",
        text: Text {
            vi: "Mật khẩu chứa ký tự điều khiển hoặc ký tự vô hình.",
            en: "The password contains control or invisible characters.",
        },
        label: Text {
            vi: "Không có ký tự vô hình",
            en: "No invisible characters",
        },
        advice: Advice::Codes(&["suggest.remove_invisible"]),
        number: None,
        enabled: |_| true,
    },
    CheckRule {
        code: "repeat.chars",
        text: Text {
            vi: "Không lặp lại một ký tự quá {n} lần liên tiếp.",
            en: "Do not repeat a character more than {n} times in a row.",
        },
        label: Text {
            vi: "Không lặp một ký tự quá {n} lần",
            en: "No character repeated over {n} times",
        },
        advice: Advice::Codes(&[]),
        number: Some(|p| p.max_repeat),
        enabled: |p| p.max_repeat > 0,
    },
    CheckRule {
        code: "sequence.chars",
        text: Text {
            vi: "Không dùng dãy liên tiếp dài quá {n} ký tự (như abcd, 1234).",
            en: "Do not use runs longer than {n} characters like abcd or 1234.",
        },
        label: Text {
            vi: "Không có dãy liên tiếp dài quá {n}",
            en: "No run like abcd longer than {n}",
        },
        advice: Advice::Codes(&[]),
        number: Some(|p| p.max_sequence),
        enabled: |p| p.max_sequence > 0,
    },
    CheckRule {
        code: "personal.data",
        text: Text {
            vi: "Mật khẩu chứa thông tin cá nhân của bạn.",
            en: "The password contains your personal information.",
        },
        label: Text {
            vi: "Không chứa thông tin cá nhân",
            en: "None of your personal data",
        },
        advice: Advice::Codes(&["suggest.avoid_personal"]),
        number: None,
        enabled: |p| p.personal_data_check,
    },
    CheckRule {
        code: "identifier",
        text: Text {
            vi: "Mật khẩu chứa số điện thoại hoặc số giấy tờ.",
            en: "The password contains a phone or document number.",
        },
        label: Text {
            vi: "Không chứa số điện thoại, số giấy tờ",
            en: "No phone or document numbers",
        },
        advice: Advice::Codes(&["suggest.avoid_identifiers"]),
        number: None,
        enabled: |p| p.identifier_check,
    },
    CheckRule {
        code: "strength.score",
        text: Text {
            vi: "Mật khẩu quá dễ đoán (độ mạnh cần đạt ít nhất {n}/4).",
            en: "This password is too easy to guess (strength must be at least {n}/4).",
        },
        label: Text {
            vi: "Khó đoán (độ mạnh từ {n}/4)",
            en: "Hard to guess (strength {n}/4 or more)",
        },
        advice: Advice::Estimate,
        number: Some(|p| u32::from(p.min_score)),
        enabled: |_| true,
    },
    CheckRule {
        code: "breach",
        text: Text {
            vi: "Mật khẩu này đã bị lộ.",
            en: "This password has leaked.",
        },
        label: Text {
            vi: "Chưa từng bị lộ",
            en: "Not in any known leak",
        },
        advice: Advice::Codes(&["suggest.generator"]),
        number: None,
        enabled: |_| false,
    },
];

/// The check with this code.
pub fn rule(code: &str) -> Option<&'static CheckRule> {
    CHECKS.iter().find(|r| r.code == code)
}
