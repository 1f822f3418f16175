//! `plugin/ABI.md` against these types: every table of the document names exactly the fields,
//! kinds, statuses and codes that the types read and write.

use crate::lifecycle::*;
use crate::request::Entropy;
use crate::{
    Context, Decision, Description, Exposure, Generated, Locale, Op, Policy, RefusalCode, Request,
    Verdict,
};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;
use strum::IntoEnumIterator;

const ABI_MD: &str = include_str!("../../plugin/ABI.md");

/// The text of ABI.md from `start` up to the next line starting with `## ` or a blank line
/// after a table.
fn section(start: &str) -> &'static str {
    let from = ABI_MD
        .find(start)
        .unwrap_or_else(|| panic!("ABI.md has no `{start}`"));
    let rest = &ABI_MD[from..];
    let end = rest[start.len()..]
        .find("\n## ")
        .map_or(rest.len(), |i| i + start.len());
    &rest[..end]
}

/// The rows of the first table in `text`, as cells.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header and its rule
        .map(|l| {
            l.replace("\\|", "¦")
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace('¦', "|"))
                .collect()
        })
        .collect()
}

/// Every `` `text` `` in a cell.
fn backticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The JSON keys a cell writes (`"name":`).
fn keys(cell: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let parts: Vec<&str> = cell.split('"').collect();
    for i in (1..parts.len()).step_by(2) {
        if parts
            .get(i + 1)
            .is_some_and(|after| after.trim_start().starts_with(':'))
        {
            out.insert(parts[i].to_string());
        }
    }
    out
}

/// The string values a cell writes (`"text"` not followed by `:`), placeholders left out.
fn strings(cell: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let parts: Vec<&str> = cell.split('"').collect();
    for i in (1..parts.len()).step_by(2) {
        let key = parts
            .get(i + 1)
            .is_some_and(|a| a.trim_start().starts_with(':'));
        if !key && parts[i] != "…" {
            out.insert(parts[i].to_string());
        }
    }
    out
}

/// Every key of a JSON value, nested ones included.
fn all_keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.insert(k.clone());
                all_keys(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| all_keys(v, out)),
        _ => {}
    }
}

/// Every string of a JSON value, nested ones included.
fn all_strings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Object(m) => m.values().for_each(|v| all_strings(v, out)),
        Value::Array(a) => a.iter().for_each(|v| all_strings(v, out)),
        _ => {}
    }
}

fn json<T: serde::Serialize>(t: &T) -> Value {
    serde_json::to_value(t).expect("serializes")
}

/// One question of each kind, and every shape of its answer.
fn decisions() -> Vec<(Decision<'static>, Vec<Value>)> {
    let failure = Failure {
        at: 1,
        fingerprint: "ab".into(),
    };
    let all = vec![
        (
            Decision::PasswordAge(PasswordAge { changed_at: 1 }),
            vec![
                json(&AgeStatus::Ok { days_left: 1 }),
                json(&AgeStatus::Expiring { days_left: 1 }),
                json(&AgeStatus::Expired {}),
            ],
        ),
        (
            Decision::OrgInactivity(OrgInactivity { last_activity: 1 }),
            vec![
                json(&InactivityStatus::Active { days_left: 1 }),
                json(&InactivityStatus::Lock {}),
            ],
        ),
        (
            Decision::TemporaryPassword(TemporaryPassword { issued_at: 1 }),
            vec![json(&TemporaryValidity { valid: true })],
        ),
        (
            Decision::ChangeAllowed(ChangeAllowed { last_change: 1 }),
            vec![
                json(&ChangePermission::Allowed),
                json(&ChangePermission::Wait { seconds: 1 }),
            ],
        ),
        (
            Decision::HistoryToKeep(HistoryToKeep {}),
            vec![json(&HistoryDepth { keep: 1 })],
        ),
        (
            Decision::Lockout(Lockout {
                failures: vec![failure],
            }),
            vec![
                json(&LockoutDecision::Allowed { remaining: 1 }),
                json(&LockoutDecision::Locked { until: Some(1) }),
            ],
        ),
        (
            Decision::Similar(Similar {
                previous: Cow::Borrowed("a"),
                candidate: Cow::Borrowed("b"),
            }),
            vec![
                json(&Similarity::Different {}),
                json(&Similarity::Same {}),
                json(&Similarity::Variant {}),
            ],
        ),
    ];
    // A new kind of decision does not compile here until it has an example above.
    for (d, _) in &all {
        match d {
            Decision::PasswordAge(_)
            | Decision::OrgInactivity(_)
            | Decision::TemporaryPassword(_)
            | Decision::ChangeAllowed(_)
            | Decision::HistoryToKeep(_)
            | Decision::Lockout(_)
            | Decision::Similar(_) => {}
        }
    }
    all
}

#[test]
fn the_request_table_names_every_field() {
    let context = Context {
        username: Some("u".into()),
        full_name: Some("n".into()),
        email: Some("e".into()),
        phone: Some("p".into()),
        date_of_birth: Some("d".into()),
        national_id: Some("i".into()),
        social_insurance_code: Some("s".into()),
        org_code: Some("o".into()),
        extra: vec!["x".into()],
    };
    let policy = serde_json::value::to_raw_value(&Policy::default()).unwrap();
    let full = Request {
        op: Op::Evaluate,
        now: Some(1),
        locale: Some(Locale::En),
        policy: Some(Cow::Owned(policy)),
        password: Some(Cow::Borrowed("x")),
        context: Some(Cow::Borrowed(&context)),
        exposure: Some(Exposure::default()),
        entropy: Some(Entropy([0; 32])),
        decision: Some(Decision::HistoryToKeep(HistoryToKeep {})),
    };
    let table = rows(section("## Requests"));
    let documented: BTreeSet<String> = table.iter().map(|r| backticked(&r[0])[0].clone()).collect();
    let written: BTreeSet<String> = json(&full).as_object().unwrap().keys().cloned().collect();
    assert_eq!(documented, written);

    let cell = |field: &str| {
        table
            .iter()
            .find(|r| r[0] == format!("`{field}`"))
            .map(|r| r[1].clone())
            .unwrap()
    };
    let ops: BTreeSet<String> = strings(&cell("op"));
    let typed: BTreeSet<String> = Op::iter()
        .map(|o| json(&o).as_str().unwrap().to_string())
        .collect();
    assert_eq!(ops, typed, "`op`");
    let context_fields: BTreeSet<String> = backticked(&cell("context"))
        .into_iter()
        .filter(|f| !f.contains('.'))
        .collect();
    let typed: BTreeSet<String> = json(&context)
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(context_fields, typed, "`context`");
    assert_eq!(
        keys(&cell("exposure")),
        json(&Exposure::default())
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect(),
        "`exposure`"
    );
    for locale in Locale::ALL {
        assert!(cell("locale").contains(&format!("\"{}\"", locale.as_str())));
    }
}

#[test]
fn the_decision_table_names_every_kind_field_and_answer() {
    let table = rows(section("Lifecycle decisions"));
    let examples = decisions();
    assert_eq!(table.len(), examples.len(), "one row per kind of decision");
    for (decision, answers) in examples {
        let written = json(&decision);
        let kind = written["kind"].as_str().unwrap().to_string();
        let row = table
            .iter()
            .find(|r| strings(&r[0]).contains(&kind))
            .unwrap_or_else(|| panic!("ABI.md has no row for `{kind}`"));
        let mut written_keys = BTreeSet::new();
        all_keys(&written, &mut written_keys);
        assert_eq!(keys(&row[0]), written_keys, "the fields of `{kind}`");
        let (mut answer_keys, mut answer_strings) = (BTreeSet::new(), BTreeSet::new());
        for a in &answers {
            all_keys(a, &mut answer_keys);
            all_strings(a, &mut answer_strings);
        }
        assert_eq!(keys(&row[1]), answer_keys, "the answer fields of `{kind}`");
        assert_eq!(
            strings(&row[1]),
            answer_strings,
            "the answer values of `{kind}`"
        );
    }
}

#[test]
fn the_result_table_names_every_field() {
    let table = rows(section("Results ("));
    let result = |op: &str| {
        table
            .iter()
            .find(|r| r[0] == format!("`{op}`"))
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("ABI.md has no result row for `{op}`"))
    };
    let top = |v: Value| -> BTreeSet<String> { v.as_object().unwrap().keys().cloned().collect() };
    // `keys` finds `"name":`; a field named without a value is `"name"` followed by `,` or `}`.
    let named = |cell: &str| -> BTreeSet<String> {
        let mut all = keys(cell);
        all.extend(strings(cell).into_iter().filter(|s| {
            s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        }));
        all
    };
    let description = Description {
        abi: 1,
        core_version: String::new(),
        policy: Policy::default(),
        policy_digest: String::new(),
        codes: vec![],
    };
    assert_eq!(
        named(&result("describe")),
        top(json(&description)),
        "describe"
    );
    let generated = Generated {
        password: String::new(),
    };
    assert_eq!(keys(&result("generate")), top(json(&generated)), "generate");
    let verdict: Verdict = serde_json::from_value(serde_json::json!({
        "accepted": true, "score": 4, "guesses_log10": 12.0, "checks": [], "problems": [],
        "suggestions": [], "policy": {"id": "x", "digest": "y"}
    }))
    .unwrap();
    assert_eq!(named(&result("evaluate")), top(json(&verdict)), "evaluate");
}

#[test]
fn the_error_codes_are_every_refusal_code() {
    let text = section("Error codes are stable");
    let paragraph = &text[..text.find("\n\n").unwrap_or(text.len())];
    let documented: BTreeSet<String> = backticked(paragraph)
        .into_iter()
        .filter(|c| c.contains('.') && !c.starts_with("policy.<"))
        .collect();
    let typed: BTreeSet<String> = RefusalCode::iter()
        .map(|c| c.as_str().to_string())
        .collect();
    assert_eq!(documented, typed);
}
