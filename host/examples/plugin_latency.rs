//! Plug-in cost, measured: loading (pre-initialise + compile, then from the cache), a call on a
//! fresh instance of the pre-initialised module, a first call on a fresh instance of the raw
//! module (what pre-initialisation saves), and warm calls against native core, p50 / p99 by input
//! length. `cargo run --release -p matkhau-host --example plugin_latency`

use matkhau_core::{evaluate, Context, Locale, Policy};
use matkhau_host::plugin::{Cache, Engine, LoadOptions, Runtime, Source, EMBEDDED};
use std::time::Instant;

#[path = "../../core/benches/common.rs"]
#[allow(dead_code)]
mod common;

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

fn percentiles(mut t: Vec<f64>) -> (f64, f64) {
    t.sort_by(f64::total_cmp);
    let at = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let cache_dir = std::env::temp_dir().join(format!("matkhau-latency-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache_dir);

    // Loading.
    let t = Instant::now();
    let runtime = Runtime::new(Some(Cache::new(&cache_dir, "example-cache-key").unwrap())).unwrap();
    let engine = Engine::open(runtime, &Source::Embedded, LoadOptions::default()).unwrap();
    let cold_load = ms(t);
    let t = Instant::now();
    let runtime = Runtime::new(Some(Cache::new(&cache_dir, "example-cache-key").unwrap())).unwrap();
    let cached = Engine::open(runtime, &Source::Embedded, LoadOptions::default()).unwrap();
    let cached_load = ms(t);
    assert!(cached.plugin().info().from_cache);
    println!("plug-in: {} bytes", EMBEDDED.len());
    println!("load, pre-initialise + compile + self-check: {cold_load:.0} ms");
    println!("load from the compiled cache + self-check:     {cached_load:.1} ms");

    // A call on a fresh instance of the pre-initialised module: alternating the year retires the
    // idle instance every time (ABI.md, year binding).
    let mut fresh = vec![];
    for i in 0..200 {
        let now = if i % 2 == 0 { NOW } else { NOW + 366 * 86_400 };
        let t = Instant::now();
        engine
            .evaluate("Hanoi@2024x", None, None, Locale::Vi, now)
            .unwrap();
        fresh.push(ms(t));
    }
    let (p50, p99) = percentiles(fresh);
    println!("call on a fresh pre-initialised instance:      p50 {p50:.3} ms, p99 {p99:.3} ms");

    // The same on the raw module, without pre-initialisation: the first call builds the tables.
    {
        use wasmtime::{Linker, Module, Store};
        let engine = wasmtime::Engine::default();
        let t = Instant::now();
        let module = Module::new(&engine, EMBEDDED).unwrap();
        let compile = ms(t);
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap("zxcvbn", "unix_time_milliseconds_imported", || NOW * 1000)
            .unwrap();
        let pre = linker.instantiate_pre(&module).unwrap();
        let request = br#"{"op":"evaluate","password":"Hanoi@2024x","now":1780272000}"#;
        let mut first = vec![];
        for _ in 0..5 {
            let mut store = Store::new(&engine, ());
            let t = Instant::now();
            let instance = pre.instantiate(&mut store).unwrap();
            let alloc = instance
                .get_typed_func::<u32, u32>(&mut store, "matkhau_alloc")
                .unwrap();
            let call = instance
                .get_typed_func::<(u32, u32), u64>(&mut store, "matkhau_call")
                .unwrap();
            let memory = instance.get_memory(&mut store, "memory").unwrap();
            let ptr = alloc.call(&mut store, request.len() as u32).unwrap();
            memory.write(&mut store, ptr as usize, request).unwrap();
            call.call(&mut store, (ptr, request.len() as u32)).unwrap();
            first.push(ms(t));
        }
        let (p50, _) = percentiles(first);
        println!(
            "raw module: compile {compile:.0} ms; first call on a fresh instance p50 {p50:.1} ms"
        );
    }

    // Warm calls against native core.
    let policy = Policy::default();
    let ctx = Context::default();
    println!();
    println!(
        "{:<12} {:>10} {:>10} | {:>10} {:>10} | {:>6}",
        "length (ms)", "native p50", "p99", "plug-in p50", "p99", "ratio"
    );
    for n in [8usize, 16, 32, 64, 128] {
        let inputs: Vec<String> = (0..150u64)
            .flat_map(|seed| {
                let mut v = vec![common::random_printable(n, seed)];
                v.extend(common::by_length(n));
                v
            })
            .collect();
        let (mut native, mut plugin) = (vec![], vec![]);
        for pw in &inputs {
            let t = Instant::now();
            let v = evaluate(pw, &ctx, &policy, Locale::Vi).to_json();
            native.push(ms(t));
            let t = Instant::now();
            let a = engine.evaluate(pw, None, None, Locale::Vi, NOW).unwrap();
            plugin.push(ms(t));
            assert_eq!(a.to_json(), v);
        }
        let (np50, np99) = percentiles(native);
        let (pp50, pp99) = percentiles(plugin);
        println!(
            "{n:<12} {np50:>10.3} {np99:>10.3} | {pp50:>11.3} {pp99:>10.3} | {:>5.2}x",
            pp50 / np50
        );
    }
    let (mut native, mut plugin) = (vec![], vec![]);
    for (_, pw) in common::adversarial() {
        for _ in 0..5 {
            let t = Instant::now();
            let _ = evaluate(&pw, &ctx, &policy, Locale::Vi);
            native.push(ms(t));
            let t = Instant::now();
            let _ = engine.evaluate(&pw, None, None, Locale::Vi, NOW).unwrap();
            plugin.push(ms(t));
        }
    }
    let nmax = native.iter().cloned().fold(0.0, f64::max);
    let pmax = plugin.iter().cloned().fold(0.0, f64::max);
    println!("adversarial set, worst: native {nmax:.2} ms, plug-in {pmax:.2} ms");
    let _ = std::fs::remove_dir_all(&cache_dir);
}
