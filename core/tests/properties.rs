//! Property tests over arbitrary input: no panics, NFC/NFD agreement, the accepted ⇔ all-checks-ok
//! contract, and the generator's output always accepted.

use matkhau_core::{evaluate, generate, Context, Locale, Policy};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn arb_policy() -> impl Strategy<Value = Policy> {
    (
        8u32..=24,
        0u32..=100,
        any::<[bool; 4]>(),
        0u8..=4,
        0u32..=6,
        0u32..=6,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(min, extra, classes, score, rep, seq, personal, ids)| {
            let [require_upper, require_lower, require_digit, require_special] = classes;
            Policy {
                min_length: min,
                max_length: (min + extra).max(64),
                require_upper,
                require_lower,
                require_digit,
                require_special,
                min_score: score,
                max_repeat: rep,
                max_sequence: seq,
                personal_data_check: personal,
                identifier_check: ids,
                generated_length: min.max(16),
                ..Policy::default()
            }
        })
        .prop_filter("valid policies only", |p| {
            matkhau_core::policy::validate(p).is_ok()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_and_contract_holds(pw in "\\PC{0,80}", name in "\\PC{0,20}") {
        let ctx = Context { full_name: Some(name), ..Context::default() };
        let v = evaluate(&pw, &ctx, &Policy::default(), Locale::Vi);
        prop_assert_eq!(v.accepted, v.checks.iter().all(|c| c.ok));
        prop_assert!(v.score <= 4);
        prop_assert!(v.guesses_log10 >= 0.0 && v.guesses_log10.is_finite());
        prop_assert_eq!(v.accepted, v.problems.is_empty());
    }

    #[test]
    fn arbitrary_chars_including_controls(pw in any::<Vec<char>>()) {
        let pw: String = pw.into_iter().take(300).collect();
        let v = evaluate(&pw, &Context::default(), &Policy::default(), Locale::En);
        prop_assert_eq!(v.accepted, v.checks.iter().all(|c| c.ok));
    }

    #[test]
    fn nfc_and_nfd_agree(pw in "[a-zA-Z0-9@ ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĂÂĐÊÔƠƯẬẨỆ]{0,30}") {
        let nfc: String = pw.nfc().collect();
        let nfd: String = pw.nfd().collect();
        let p = Policy::default();
        let a = evaluate(&nfc, &Context::default(), &p, Locale::Vi);
        let b = evaluate(&nfd, &Context::default(), &p, Locale::Vi);
        prop_assert_eq!(a.to_json(), b.to_json());
    }

    #[test]
    fn generated_passwords_are_accepted(policy in arb_policy(), seed in any::<[u8; 32]>()) {
        let pw = generate(&policy, seed);
        prop_assert_eq!(pw.chars().count(), policy.generated_length as usize);
        let v = evaluate(&pw, &Context::default(), &policy, Locale::Vi);
        prop_assert!(v.accepted, "{:?}", v.problems);
    }
}

#[test]
fn generated_default_policy_many_seeds() {
    let p = Policy::default();
    for i in 0..300u32 {
        let mut seed = [0u8; 32];
        seed[..4].copy_from_slice(&i.to_le_bytes());
        let pw = generate(&p, seed);
        assert!(evaluate(&pw, &Context::default(), &p, Locale::Vi).accepted);
    }
}

#[test]
fn one_megabyte_inputs() {
    let p = Policy::default();
    for unit in [
        "a",
        "Ậ",
        "@1|!3$05+7(48%2{[<96",
        "\u{200B}",
        "0912345678",
        "Nguyễn",
    ] {
        let big = unit.repeat(1_000_000 / unit.len());
        let v = evaluate(&big, &Context::default(), &p, Locale::Vi);
        assert!(!v.accepted);
        assert!(v.checks.iter().any(|c| c.code == "length.max" && !c.ok));
    }
}
