//! The plug-in runtime in process: parity with native core, the clock and year rules, memory
//! hygiene, atomic reload under load, and the refusal of bad or hostile plug-ins.

mod common;

use matkhau_abi::lifecycle::{AgeStatus, PasswordAge};
use matkhau_abi::{Check, Description, PolicyRef, Response, Verdict};
use matkhau_core::{evaluate, Context, Locale, Policy};
use matkhau_host::code::Coded;
use matkhau_host::digest::sha256_hex;
use matkhau_host::plugin::{Cache, Engine, Limits, LoadOptions, Runtime, Source, EMBEDDED};
use std::sync::Arc;
use std::time::Duration;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

fn runtime() -> Arc<Runtime> {
    Runtime::new(Some(
        Cache::new(
            std::path::Path::new(common::PLUGIN_CACHE),
            &common::cache_key(),
        )
        .unwrap(),
    ))
    .unwrap()
}

fn embedded() -> Engine {
    Engine::open(runtime(), &Source::Embedded, LoadOptions::default()).expect("embedded plug-in")
}

fn verdict(
    engine: &Engine,
    password: &str,
    context: Option<&Context>,
    locale: Locale,
    now: i64,
) -> String {
    engine
        .evaluate(password, context, None, locale, now)
        .expect("call")
        .to_json()
}

/// Every password we have: the corpus (with contexts), the golden inputs, the published
/// adversarial strings.
fn inputs() -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    for file in ["tests/corpus/passwords.jsonl", "tests/golden/input.jsonl"] {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(_) => continue,
            };
            let Some(pw) = v["password"].as_str() else {
                continue;
            };
            let ctx = v
                .get("context")
                .filter(|c| c.is_object())
                .map(|c| c.to_string());
            out.push((pw.to_string(), ctx));
        }
    }
    let adversarial =
        std::fs::read_to_string(format!("{root}/core/benches/adversarial.txt")).unwrap();
    for line in adversarial
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        out.push((line.to_string(), None));
    }
    out
}

#[test]
fn plugin_verdicts_are_byte_identical_to_native_core() {
    let engine = embedded();
    let policy = Policy::default();
    let mut compared = 0;
    for (password, ctx) in inputs() {
        let context: Context = ctx
            .as_deref()
            .map(|c| serde_json::from_str(c).expect("corpus context"))
            .unwrap_or_default();
        for locale in [Locale::Vi, Locale::En] {
            let native = evaluate(&password, &context, &policy, locale).to_json();
            let given = ctx.is_some().then_some(&context);
            let plugin = verdict(&engine, &password, given, locale, NOW);
            assert_eq!(plugin, native, "verdicts differ for input #{compared}");
            // The plug-in's own bytes too, not only the host's reading of them.
            let request = matkhau_abi::Request::evaluate(NOW, &password, given, None, locale);
            let raw: Box<serde_json::value::RawValue> = engine
                .plugin()
                .call(serde_json::to_vec(&request).unwrap(), NOW * 1000)
                .expect("call");
            assert_eq!(
                raw.get(),
                native,
                "raw answer differs for input #{compared}"
            );
            compared += 1;
        }
    }
    assert!(compared > 1400, "{compared}");
    eprintln!("{compared} verdicts byte-identical");
}

#[test]
fn reference_year_follows_the_request_and_never_mixes() {
    let engine = embedded();
    let year_2100 = 4_102_444_800; // 2100-01-01
    let candidates = [
        "Hoa@1946abc",
        "tuyet1950!X",
        "Minh#1968xyz",
        "1954dienbien",
        "Lan1975@hue",
    ];
    let mut differs = false;
    for pw in candidates {
        let now_answer = verdict(&engine, pw, None, Locale::En, NOW);
        let later = verdict(&engine, pw, None, Locale::En, year_2100);
        differs |= now_answer != later;
        // Back to this year: the instance that answered for 2100 is not reused for 2026.
        assert_eq!(
            verdict(&engine, pw, None, Locale::En, NOW),
            now_answer,
            "{pw}"
        );
        let native = evaluate(pw, &Context::default(), &Policy::default(), Locale::En).to_json();
        assert_eq!(now_answer, native, "{pw}");
    }
    assert!(
        differs,
        "no year-bearing password changed with the reference year"
    );
}

#[test]
fn no_password_lingers_in_a_warm_instance() {
    let engine = embedded();
    let password = "Zebra-Kite#4471 nguyễn";
    let _ = verdict(&engine, password, None, Locale::Vi, NOW);
    let plugin = engine.plugin();
    // The scan does find what is there (the policy id is in the module's data).
    assert!(plugin.idle_memory_contains(b"bhxh-default"));
    for needle in [password, "zebra-kite#4471", "Zebra-Kite", "zebrakite"] {
        assert!(
            !plugin.idle_memory_contains(needle.as_bytes()),
            "`{needle}` is still in an idle instance's memory"
        );
    }
}

#[test]
fn lifecycle_and_generate_go_through_the_plugin() {
    let engine = embedded();
    let question = PasswordAge {
        changed_at: NOW - 181 * 86_400,
    };
    assert_eq!(engine.decide(question, NOW).unwrap(), AgeStatus::Expired {});
    let generated = engine.generate([7; 32], NOW).unwrap();
    let native = matkhau_core::generate(&Policy::default(), [7; 32]);
    assert_eq!(generated.password, native);
}

#[test]
fn reload_swaps_atomically_while_calls_are_in_flight() {
    let engine = Arc::new(embedded());
    let dir = std::env::temp_dir().join(format!("matkhau-reload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("exported.wasm");
    std::fs::write(&file, EMBEDDED).unwrap();
    let expected = verdict(&engine, "Hanoi@2024", None, Locale::Vi, NOW);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let (engine, stop, expected) = (engine.clone(), stop.clone(), expected.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    assert_eq!(
                        verdict(&engine, "Hanoi@2024", None, Locale::Vi, NOW),
                        expected
                    );
                    n += 1;
                }
                n
            })
        })
        .collect();
    for i in 0..8 {
        let (source, pin) = if i % 2 == 0 {
            (Source::File(file.clone()), Some(sha256_hex(EMBEDDED)))
        } else {
            (Source::Embedded, None)
        };
        let swapped = engine.reload(&source, pin).expect("reload");
        assert_eq!(engine.plugin().info().source, swapped.info().source);
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let calls: usize = workers
        .into_iter()
        .map(|w| w.join().expect("no failed call"))
        .sum();
    assert!(calls > 0);
    // A bad reload leaves the active plug-in in place.
    let before = engine.plugin().info().sha256.clone();
    let bad = engine.reload(&Source::File(file.clone()), Some("00".repeat(32)));
    assert_eq!(
        bad.err().map(|e| e.code().as_str()),
        Some("plugin.digest_mismatch")
    );
    assert_eq!(engine.plugin().info().sha256, before);
    assert_eq!(
        verdict(&engine, "Hanoi@2024", None, Locale::Vi, NOW),
        expected
    );
}

#[test]
fn oversized_request_is_refused_without_calling() {
    let engine = embedded();
    let big = "a".repeat(2 << 20);
    let err = engine
        .evaluate(&big, None, None, Locale::Vi, NOW)
        .unwrap_err();
    assert_eq!(err.code().as_str(), "plugin.request_too_large");
    assert!(!err.to_string().contains("aaaa"));
    verdict(&engine, "next call works", None, Locale::Vi, NOW);
}

#[test]
fn the_plugin_refuses_a_context_past_its_bounds() {
    use matkhau_abi::RefusalCode;
    use matkhau_host::plugin::CallError;
    let engine = embedded();
    let at_bound = Context {
        full_name: Some("đ".repeat(Context::MAX_FIELD_CHARS)),
        extra: vec!["x".repeat(Context::MAX_FIELD_CHARS); Context::MAX_EXTRA],
        ..Context::default()
    };
    verdict(&engine, "Hanoi@2024", Some(&at_bound), Locale::Vi, NOW);
    let refused = |context: &Context, field: &str| {
        let err = engine
            .evaluate("Hanoi@2024", Some(context), None, Locale::Vi, NOW)
            .unwrap_err();
        match err {
            CallError::Refused(r) => {
                assert_eq!((r.code, r.field.as_str()), (RefusalCode::TooLarge, field));
            }
            other => panic!("{other}"),
        }
    };
    let mut more = at_bound.clone();
    more.extra.push("y".into());
    refused(&more, "context.extra");
    let mut longer = at_bound.clone();
    longer.full_name = Some("đ".repeat(Context::MAX_FIELD_CHARS + 1));
    refused(&longer, "context.full_name");
}

// ---------------------------------------------------------------------------------------------
// Hostile and malformed plug-ins, written in WAT.

/// A plug-in that passes the self-check with canned answers (copied into fresh buffers, as the
/// ABI requires), and misbehaves when the request contains LOOP (spins forever), GRAB (grows
/// memory without end), TRAP, GARBAGE (non-JSON answer), OOB (answer outside memory), HUGE
/// (answer longer than allowed) or PARTIAL (a verdict without most of its fields).
struct Hostile<'a> {
    abi: u32,
    extra_import: &'a str,
    memory: &'a str,
    call_result: &'a str,
    omit_free: bool,
    accept_all: bool,
    init_body: &'a str,
    /// Its `describe` answer leaves out every policy field but the id.
    partial_describe: bool,
    /// The id of the policy it describes.
    policy_id: &'a str,
}

impl Default for Hostile<'_> {
    fn default() -> Self {
        Hostile {
            abi: 1,
            extra_import: "",
            memory: r#"(memory (export "memory") 2)"#,
            call_result: "i64",
            omit_free: false,
            accept_all: false,
            init_body: "",
            partial_describe: false,
            policy_id: "hostile",
        }
    }
}

const MARKER: &str = "Qz8#Lm2!Vw7Kp4@x";

/// A complete verdict (ASCII only, for a WAT string).
fn canned_verdict(accepted: bool) -> Verdict {
    Verdict {
        accepted,
        score: 0,
        guesses_log10: 0.0,
        checks: vec![Check {
            code: "strength.score".into(),
            ok: accepted,
        }],
        problems: vec![],
        suggestions: vec![],
        policy: PolicyRef {
            id: "hostile".into(),
            digest: "ab".repeat(32),
        },
    }
}

/// The answer that carries it.
fn answer<T: serde::Serialize>(result: T) -> String {
    serde_json::to_string(&Response::Ok(result)).unwrap()
}

impl Hostile<'_> {
    fn wasm(&self) -> Vec<u8> {
        let describe = Description {
            abi: 1,
            core_version: "hostile".into(),
            policy: Policy {
                id: self.policy_id.into(),
                ..Policy::default()
            },
            policy_digest: "ab".repeat(32),
            codes: vec![],
        };
        let describe_out = match self.partial_describe {
            false => answer(describe),
            true => format!(
                r#"{{"ok":true,"result":{{"abi":1,"core_version":"hostile","policy":{{"id":"{}"}},"policy_digest":"{}","codes":[]}}}}"#,
                self.policy_id,
                "ab".repeat(32)
            ),
        };
        let strings: Vec<(&str, String)> = vec![
            ("loop", "LOOP".into()),
            ("grab", "GRAB".into()),
            ("trap", "TRAP".into()),
            ("garbage", "GARBAGE".into()),
            ("oob", "OOB".into()),
            ("huge", "HUGE".into()),
            ("partial", "PARTIAL".into()),
            (
                "partial_out",
                r#"{"ok":true,"result":{"accepted":false}}"#.into(),
            ),
            ("describe", r#""describe""#.into()),
            ("generate", r#""generate""#.into()),
            ("marker", MARKER.into()),
            ("not_json", "this is not json".into()),
            ("describe_out", describe_out),
            (
                "generate_out",
                format!(r#"{{"ok":true,"result":{{"password":"{MARKER}"}}}}"#),
            ),
            ("accept_out", answer(canned_verdict(true))),
            ("reject_out", answer(canned_verdict(self.accept_all))),
        ];
        let mut data = String::new();
        let mut at = std::collections::HashMap::new();
        let mut offset = 1024usize;
        for (name, text) in &strings {
            let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
            data.push_str(&format!("(data (i32.const {offset}) \"{escaped}\")\n"));
            at.insert(*name, (offset, text.len()));
            offset += text.len() + 8;
        }
        let has = |name: &str| {
            let (o, l) = at[name];
            format!(
                "(call $contains (local.get $p) (local.get $n) (i32.const {o}) (i32.const {l}))"
            )
        };
        let out = |name: &str| {
            let (o, l) = at[name];
            format!("(return (call $resp (i32.const {o}) (i32.const {l})))")
        };
        let free = if self.omit_free {
            String::new()
        } else {
            r#"(func (export "matkhau_free") (param i32 i32))"#.to_string()
        };
        let call_body = if self.call_result == "i64" {
            format!(
                r#"
    (if {loop_} (then (loop $spin (br $spin))))
    (if {grab} (then
      (loop $more (br_if $more (i32.ne (memory.grow (i32.const 256)) (i32.const -1))))
      unreachable))
    (if {trap} (then unreachable))
    (if {garbage} (then {not_json}))
    (if {oob} (then (return (i64.const 0xfff0000000000010))))
    (if {huge} (then (return (i64.const 0x7fffffff))))
    (if {partial} (then {partial_out}))
    (if {describe} (then {describe_out}))
    (if {generate} (then {generate_out}))
    (if {marker} (then {accept_out}))
    {reject_out}"#,
                loop_ = has("loop"),
                grab = has("grab"),
                trap = has("trap"),
                garbage = has("garbage"),
                not_json = out("not_json"),
                oob = has("oob"),
                huge = has("huge"),
                partial = has("partial"),
                partial_out = out("partial_out"),
                describe = has("describe"),
                describe_out = out("describe_out"),
                generate = has("generate"),
                generate_out = out("generate_out"),
                marker = has("marker"),
                accept_out = out("accept_out"),
                reject_out = out("reject_out"),
            )
        } else {
            "(i32.const 0)".to_string()
        };
        let wat = format!(
            r#"(module
  (import "zxcvbn" "unix_time_milliseconds_imported" (func $clock (result i64)))
  {extra_import}
  {memory}
  (global $bump (mut i32) (i32.const 65536))
  {data}
  (func (export "matkhau_abi_version") (result i32) (i32.const {abi}))
  (func $alloc (export "matkhau_alloc") (param $len i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (local.get $len)))
    (block $ok (loop $grow
      (br_if $ok (i32.le_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536))))
      (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then (return (i32.const 0))))
      (br $grow)))
    (local.get $ptr))
  {free}
  (func (export "matkhau_init") {init_body})
  (func $resp (param $o i32) (param $l i32) (result i64)
    (local $d i32)
    (local.set $d (call $alloc (local.get $l)))
    (memory.copy (local.get $d) (local.get $o) (local.get $l))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $d)) (i64.const 32)) (i64.extend_i32_u (local.get $l))))
  (func $contains (param $p i32) (param $n i32) (param $q i32) (param $m i32) (result i32)
    (local $i i32) (local $j i32)
    (if (i32.gt_u (local.get $m) (local.get $n)) (then (return (i32.const 0))))
    (block $done (loop $outer
      (br_if $done (i32.gt_u (local.get $i) (i32.sub (local.get $n) (local.get $m))))
      (local.set $j (i32.const 0))
      (block $next (loop $inner
        (if (i32.eq (local.get $j) (local.get $m)) (then (return (i32.const 1))))
        (br_if $next (i32.ne
          (i32.load8_u (i32.add (local.get $p) (i32.add (local.get $i) (local.get $j))))
          (i32.load8_u (i32.add (local.get $q) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $inner)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $outer)))
    (i32.const 0))
  (func (export "matkhau_call") (param $p i32) (param $n i32) (result {result})
    {call_body}))"#,
            extra_import = self.extra_import,
            memory = self.memory,
            abi = self.abi,
            init_body = self.init_body,
            result = self.call_result,
        );
        wat::parse_str(&wat).expect("fixture WAT")
    }

    fn load(&self, limits: Limits) -> Result<Engine, matkhau_host::plugin::LoadError> {
        let dir = std::env::temp_dir().join(format!("matkhau-hostile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{}.wasm", sha256_hex(&self.wasm())));
        std::fs::write(&path, self.wasm()).unwrap();
        let options = LoadOptions {
            limits,
            ..LoadOptions::default()
        };
        Engine::open(Runtime::new(None).unwrap(), &Source::File(path), options)
    }
}

fn quick_limits() -> Limits {
    Limits {
        call_timeout: Duration::from_millis(200),
        memory_bytes: 64 << 20,
        ..Limits::default()
    }
}

#[test]
fn hostile_plugin_fails_one_call_at_a_time_and_the_host_keeps_answering() {
    let engine = Hostile::default()
        .load(quick_limits())
        .expect("passes the self-check");
    let ordinary = || {
        engine
            .evaluate("ordinary", None, None, Locale::Vi, NOW)
            .expect("next call answered")
    };
    let expected = canned_verdict(false);
    assert_eq!(ordinary(), expected);
    for (trigger, code) in [
        ("LOOP", "plugin.timeout"),
        ("GRAB", "plugin.memory"),
        ("TRAP", "plugin.trap"),
        ("GARBAGE", "plugin.bad_response"),
        ("OOB", "plugin.bad_response"),
        ("HUGE", "plugin.bad_response"),
        // An answer that lacks fields of its ABI type is refused, not read with defaults.
        ("PARTIAL", "plugin.bad_response"),
    ] {
        let started = std::time::Instant::now();
        let err = engine
            .evaluate(&format!("x{trigger}x"), None, None, Locale::Vi, NOW)
            .expect_err(trigger);
        assert_eq!(err.code().as_str(), code, "{trigger}: {err}");
        assert!(!err.to_string().contains(trigger), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{trigger} took {:?}",
            started.elapsed()
        );
        assert_eq!(ordinary(), expected, "after {trigger}");
    }
    let plugin = engine.plugin();
    assert_eq!(
        plugin
            .stats
            .failures
            .load(std::sync::atomic::Ordering::Relaxed),
        7
    );
    assert!(plugin.live_instances() <= 2);
}

#[test]
fn every_refusal_has_its_code() {
    let cases: Vec<(&str, Hostile, &str)> = vec![
        (
            "abi 2",
            Hostile {
                abi: 2,
                ..Hostile::default()
            },
            "plugin.abi_version",
        ),
        (
            "extra import",
            Hostile {
                extra_import: r#"(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))"#,
                ..Hostile::default()
            },
            "plugin.imports",
        ),
        (
            "imported memory",
            Hostile {
                memory: r#"(import "env" "memory" (memory 2)) (export "memory" (memory 0))"#,
                ..Hostile::default()
            },
            "plugin.imports",
        ),
        (
            "no free",
            Hostile {
                omit_free: true,
                ..Hostile::default()
            },
            "plugin.exports",
        ),
        (
            "call returns i32",
            Hostile {
                call_result: "i32",
                ..Hostile::default()
            },
            "plugin.exports",
        ),
        (
            "accepts everything",
            Hostile {
                accept_all: true,
                ..Hostile::default()
            },
            "plugin.self_check",
        ),
        (
            "describe answer without most policy fields",
            Hostile {
                partial_describe: true,
                ..Hostile::default()
            },
            "plugin.self_check",
        ),
        (
            "init traps",
            Hostile {
                init_body: "unreachable",
                ..Hostile::default()
            },
            "plugin.init",
        ),
        (
            "init reads the year",
            Hostile {
                init_body: "(if (i64.lt_s (call $clock) (i64.const 0)) (then unreachable))",
                ..Hostile::default()
            },
            "plugin.init",
        ),
    ];
    for (name, fixture, code) in cases {
        let err = fixture
            .load(quick_limits())
            .err()
            .unwrap_or_else(|| panic!("{name} was accepted"));
        assert_eq!(err.code().as_str(), code, "{name}: {err}");
    }
    // Not WebAssembly at all, a pin that does not match, a file that is not there.
    let rt = runtime();
    let dir = std::env::temp_dir().join(format!("matkhau-refusals-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.wasm");
    std::fs::write(&junk, b"\0asm but not really").unwrap();
    let open = |source: Source, pin: Option<String>| {
        let options = LoadOptions {
            expected_sha256: pin,
            ..LoadOptions::default()
        };
        Engine::open(rt.clone(), &source, options)
            .err()
            .map(|e| e.code().as_str())
    };
    assert_eq!(open(Source::File(junk), None), Some("plugin.invalid_wasm"));
    assert_eq!(
        open(Source::Embedded, Some("ab".repeat(32))),
        Some("plugin.digest_mismatch")
    );
    assert_eq!(open(Source::Embedded, Some(sha256_hex(EMBEDDED))), None);
    assert_eq!(
        open(Source::File(dir.join("missing.wasm")), None),
        Some("plugin.read")
    );
}

#[test]
fn compiled_plugins_are_cached_and_a_damaged_cache_entry_is_rebuilt() {
    let dir = std::env::temp_dir().join(format!("matkhau-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let open = || {
        let runtime = Runtime::new(Some(Cache::new(&dir, "cache-test-key").unwrap())).unwrap();
        Engine::open(runtime, &Source::Embedded, LoadOptions::default()).expect("loads")
    };
    assert!(!open().plugin().info().from_cache, "first load compiles");
    assert!(
        open().plugin().info().from_cache,
        "second load comes from the cache"
    );
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    std::fs::write(&entries[0], b"not a compiled module").unwrap();
    let engine = open();
    assert!(
        !engine.plugin().info().from_cache,
        "a damaged entry is compiled again"
    );
    verdict(&engine, "still answers", None, Locale::Vi, NOW);
    assert!(open().plugin().info().from_cache, "and written back");
    // 64 bytes flipped in the native code itself (this once crashed the process with SIGSEGV or
    // SIGILL at every start): found by the MAC before wasmtime reads it, and rebuilt.
    let mut bytes = std::fs::read(&entries[0]).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0xa5;
    }
    std::fs::write(&entries[0], &bytes).unwrap();
    let engine = open();
    assert!(
        !engine.plugin().info().from_cache,
        "a flipped entry is compiled again"
    );
    verdict(&engine, "still answers", None, Locale::Vi, NOW);
    assert!(open().plugin().info().from_cache, "and written back");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_poisoned_cache_entry_is_never_served() {
    let dir = std::env::temp_dir().join(format!("matkhau-poison-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = |key: &str| Runtime::new(Some(Cache::new(&dir, key).unwrap())).unwrap();
    // The service's plug-in and the attacker's, told apart by their policy's id. (Small WAT
    // plug-ins, compiled in milliseconds: the cache treats every source alike.)
    let genuine = dir.join("genuine.wasm");
    let hostile = dir.join("hostile.wasm");
    let open = |key: &str, file: &std::path::Path| {
        Engine::open(
            runtime(key),
            &Source::File(file.to_path_buf()),
            LoadOptions::default(),
        )
        .unwrap()
    };
    let policy = |e: &Engine| e.plugin().info().policy_id.clone();
    let service = || open("the-key", &genuine);
    let entries = || -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "cwasm"))
            .collect();
        v.sort();
        v
    };
    std::fs::create_dir_all(&dir).unwrap();
    let genuine_plugin = Hostile {
        policy_id: "genuine",
        ..Hostile::default()
    };
    std::fs::write(&genuine, genuine_plugin.wasm()).unwrap();
    std::fs::write(&hostile, Hostile::default().wasm()).unwrap();
    assert_eq!(policy(&service()), "genuine");
    assert!(service().plugin().info().from_cache);
    let entry = entries().pop().unwrap();
    // The attacker's plug-in, compiled into the same folder by the service's own code.
    assert_eq!(policy(&open("the-key", &hostile)), "hostile");
    let hostile_entry = entries().into_iter().find(|p| p != &entry).unwrap();
    // Its compiled entry copied over the service plug-in's: authentic bytes, wrong name.
    std::fs::copy(&hostile_entry, &entry).unwrap();
    let engine = service();
    assert!(
        !engine.plugin().info().from_cache,
        "the swapped entry is not loaded"
    );
    assert_eq!(policy(&engine), "genuine");
    // An entry compiled under another key (written by someone without the service's secrets).
    let foreign = open("another-key", &hostile);
    assert!(
        !foreign.plugin().info().from_cache,
        "another key has entries of its own"
    );
    assert!(service().plugin().info().from_cache);
    // The attacker's module under the service's entry name, with a MAC in the cache's format
    // (over the name and the bytes) but under a key of the attacker's own.
    let forged = {
        use hmac::{Hmac, Mac};
        let bytes = std::fs::read(&hostile_entry).unwrap();
        let module = &bytes[..bytes.len() - 32];
        let name = entry.file_name().unwrap().to_str().unwrap();
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"another-key").unwrap();
        mac.update(name.as_bytes());
        mac.update(&[0]);
        mac.update(module);
        [module, &mac.finalize().into_bytes()[..]].concat()
    };
    std::fs::write(&entry, forged).unwrap();
    let engine = service();
    assert!(
        !engine.plugin().info().from_cache,
        "re-keyed: compiled again"
    );
    assert_eq!(policy(&engine), "genuine");
    // A folder others may write to is not used at all.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(Cache::new(&dir, "the-key").is_err());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
