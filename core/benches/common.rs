//! Inputs shared by the benchmark and the latency example.

/// Deterministic pseudo-random printable string of `n` characters.
pub fn random_printable(n: usize, seed: u64) -> String {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'!' + (x % 94) as u8)
        })
        .collect()
}

/// The published slow inputs (benches/adversarial.txt) plus generated worst shapes.
pub fn adversarial() -> Vec<(String, String)> {
    let text = include_str!("adversarial.txt");
    let mut out: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .enumerate()
        .map(|(i, l)| (format!("published-{i:02}"), l.to_string()))
        .collect();
    let leet = "@1|!3$05+7(48%2{[<96";
    for n in [24usize, 40, 64, 100, 128] {
        out.push((
            format!("leet-dense-{n}"),
            leet.chars().cycle().take(n).collect(),
        ));
        out.push((
            format!("leet-interleaved-{n}"),
            "a@b1c|d!e3f$g0h5i+j7k(l4m8n%o2p{q[r<s9t6"
                .chars()
                .cycle()
                .take(n)
                .collect(),
        ));
    }
    out.push(("nul-200".into(), "\0".repeat(200)));
    out.push((
        "names-128".into(),
        "nguyenvanhung".chars().cycle().take(128).collect(),
    ));
    out.push((
        "digits-128".into(),
        "0912345678".chars().cycle().take(128).collect(),
    ));
    out.push((
        "separators-128".into(),
        "a.b_c-d ".chars().cycle().take(128).collect(),
    ));
    out
}

/// Typical passwords of a given length: random printable, a Vietnamese phrase with decoration.
pub fn by_length(n: usize) -> Vec<String> {
    let phrase: String = "Nguyen.Van.An@1990-Hanoi_anhyeuem"
        .chars()
        .cycle()
        .take(n)
        .collect();
    vec![random_printable(n, n as u64), phrase]
}
