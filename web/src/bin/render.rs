//! Renders every portal page, in Vietnamese and English, to HTML with Yew's server renderer
//! (run natively by `cargo xtask web`): `OUT/pages/<page>.<lang>.html`, the page shell
//! (`web/static/index.html`) with the page inside, and `OUT/pages/messages.json`, the pages'
//! words the host needs to answer a form posted without the module. The host serves these
//! pages, so a phone shows a working form before the WebAssembly arrives, or without it.

use matkhau_core::Locale;
use matkhau_web::app::{App, Page, Props};
use matkhau_web::i18n::{t, HOST_KEYS};
use std::path::PathBuf;

/// The shell's placeholder for the page.
const SLOT: &str = "<div id=\"app\"></div>";

/// The pages: file name and path.
const PAGES: [(&str, &str); 5] = [
    ("dang-nhap", "/dang-nhap"),
    ("dang-ky", "/dang-ky"),
    ("doi-mat-khau", "/doi-mat-khau"),
    ("quen-mat-khau", "/quen-mat-khau"),
    ("dat-lai-mat-khau", "/dat-lai-mat-khau"),
];

fn render(path: &'static str, locale: Locale) -> String {
    let renderer = yew::ServerRenderer::<App>::with_props(move || Props {
        path: path.into(),
        locale,
    })
    .hydratable(false);
    futures::executor::block_on(renderer.render())
}

fn main() {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: matkhau-web-render OUT_DIR");
        std::process::exit(2);
    };
    let shell = include_str!("../../static/index.html");
    if !shell.contains(SLOT) {
        eprintln!("web/static/index.html has no {SLOT}");
        std::process::exit(1);
    }
    let dir = out.join("pages");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        std::process::exit(1);
    }
    for (name, path) in PAGES {
        for locale in [Locale::Vi, Locale::En] {
            let body = render(path, locale);
            let title = format!(
                "{} — {}",
                t(locale, Page::of(path).title_key()),
                t(locale, "site")
            );
            let page = shell
                .replacen(
                    "<html lang=\"vi\">",
                    &format!("<html lang=\"{}\">", locale.as_str()),
                    1,
                )
                .replacen(
                    "<title>matkhau</title>",
                    &format!("<title>{title}</title>"),
                    1,
                )
                .replacen(SLOT, &format!("<div id=\"app\">{body}</div>"), 1)
                .replacen("{noscript}", t(locale, "noscript"), 1)
                .replacen("{skip}", t(locale, "skip"), 1);
            let file = dir.join(format!("{name}.{}.html", locale.as_str()));
            if let Err(e) = std::fs::write(&file, page) {
                eprintln!("{}: {e}", file.display());
                std::process::exit(1);
            }
        }
    }
    let words = |l: Locale| -> serde_json::Map<String, serde_json::Value> {
        HOST_KEYS
            .iter()
            .map(|k| (k.to_string(), serde_json::Value::from(t(l, k))))
            .collect()
    };
    let messages = serde_json::json!({"vi": words(Locale::Vi), "en": words(Locale::En)});
    let file = dir.join("messages.json");
    if let Err(e) = std::fs::write(&file, messages.to_string()) {
        eprintln!("{}: {e}", file.display());
        std::process::exit(1);
    }
}
