//! End-to-end behaviour of `evaluate` on the passwords the regulation and the issues name.

use matkhau_core::{evaluate, Context, Locale, Policy, Verdict};

fn eval(pw: &str) -> Verdict {
    evaluate(pw, &Context::default(), &Policy::default(), Locale::En)
}

fn codes(v: &Verdict) -> Vec<&str> {
    v.problems.iter().map(|p| p.code.as_str()).collect()
}

#[test]
fn compliant_but_weak_vietnamese_passwords_are_rejected() {
    let cases = [
        ("Nguyenvanhung@1990", "vn.name_year"),
        ("Nguyen.Van.An@1990", "vn.name_year"),
        ("Baohiemxahoi@2024", "common.password"),
        ("Dichvucong#2025", "vn.portal"),
        ("Matkhau@2024", "strength.score"),
        ("Maatjkhaaur@1", "vn.telex"),
        ("M@tkh@u123", "strength.score"),
        ("Ab@0912345678", "vn.phone"),
        ("Hanoi@2024", "vn.place"),
        ("Anhyeuem@123", "strength.score"),
        ("Xinchao2024!", "strength.score"),
    ];
    for (pw, code) in cases {
        let v = eval(pw);
        assert!(!v.accepted, "{pw} accepted");
        assert!(codes(&v).contains(&code), "{pw}: {:?}", codes(&v));
    }
}

#[test]
fn strong_passwords_are_accepted() {
    for pw in [
        "Kx7#mQ2v!Lp9Wz",
        "Chuối-biển-đèn-7-ghế-mây",
        "Orbit-velvet-Canyon-42-tulip",
        "t9%Rk2@vB8qNz",
    ] {
        let v = eval(pw);
        assert!(v.accepted, "{pw}: {:?}", codes(&v));
        assert!(v.score >= 3);
    }
}

#[test]
fn diacritics_insensitive_personal_data() {
    let ctx = Context {
        full_name: Some("Trần Thị Thu Hà".into()),
        ..Context::default()
    };
    let v = evaluate("Thuhà#Xq7z!", &ctx, &Policy::default(), Locale::Vi);
    assert!(codes(&v).contains(&"personal.name"));
    assert_eq!(v.problems[0].message, "Mật khẩu chứa họ tên của bạn.");
}

#[test]
fn messages_follow_the_locale() {
    let p = Policy::default();
    let vi = evaluate("abc", &Context::default(), &p, Locale::Vi);
    let en = evaluate("abc", &Context::default(), &p, Locale::En);
    assert_eq!(vi.problems[0].code, en.problems[0].code);
    assert_eq!(vi.problems[0].message, "Mật khẩu phải có ít nhất 8 ký tự.");
    assert_eq!(en.problems[0].message, "Use at least 8 characters.");
}

#[test]
fn verdict_json_shape() {
    let v: serde_json::Value = serde_json::from_str(&eval("Hanoi@2024").to_json()).unwrap();
    for key in [
        "accepted",
        "score",
        "guesses_log10",
        "checks",
        "problems",
        "suggestions",
        "policy",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["policy"]["id"], "bhxh-default");
    assert_eq!(v["policy"]["digest"].as_str().unwrap().len(), 64);
}

#[test]
fn checks_follow_the_policy() {
    let p = Policy {
        require_special: false,
        max_sequence: 0,
        ..Policy::default()
    };
    let v = evaluate("Abcdefgh12", &Context::default(), &p, Locale::En);
    let check_codes: Vec<&str> = v.checks.iter().map(|c| c.code.as_str()).collect();
    assert!(!check_codes.contains(&"class.special"));
    assert!(!check_codes.contains(&"sequence.chars"));
}

#[test]
fn evaluation_is_deterministic() {
    for pw in [
        "Nguyen.Van.An@1990",
        "Tr0ub4dor&3",
        "@1|!3$05+7(48%2{[<96@1|!3$05+7(48%2{[<96",
    ] {
        assert_eq!(eval(pw).to_json(), eval(pw).to_json());
    }
}
