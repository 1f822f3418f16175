//! The portal pages (`matkhau-web`) and the embeddable widget package (`matkhau-wasm`), as
//! `cargo xtask web` builds them into one folder. Files are served as built, with their
//! precompressed `.br`/`.gz` twins when the browser accepts them, and revalidated on every use
//! (`no-cache` with ETag/Last-Modified), so a rebuilt bundle is picked up at once. Whether the
//! bundle exists at all is checked when the server starts.
//!
//! Every page is real HTML (rendered when the bundle is built, one file per language): its
//! form works before the WebAssembly arrives, and without it. Posted without the module
//! (`application/x-www-form-urlencoded`), a form is answered by the same page with the host's
//! answer in it, in the page's language (the pages' own words, `pages/messages.json`). Those
//! posts are accepted from this origin only (`Origin` checked), like the JSON API.
//!
//! Pages carry a strict Content-Security-Policy: scripts and styles from this origin only, no
//! inline code, and `'wasm-unsafe-eval'` for WebAssembly. The widget's files may be loaded by
//! any origin (`Access-Control-Allow-Origin: *`): third-party portals embed them.

use super::{header_layer, App};
use crate::accounts::login::LoginStatus;
use crate::accounts::register::Registration;
use crate::accounts::{Error, Secret};
use crate::clock::unix_now;
use crate::code::{Code, Coded};
use crate::states::{AccountKind, Actor, MustChange};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::{Form, Router};
use matkhau_abi::{Context, Locale};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The Content-Security-Policy of a page of ours; the portal's adds `frame-ancestors 'none'`
/// (the example page must be framable by the portals it shows the embedding to).
macro_rules! page_csp {
    ($($extra:literal)?) => {
        concat!(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; ",
            "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'"
            $(, $extra)?
        )
    };
}

const PORTAL_CSP: &str = page_csp!("; frame-ancestors 'none'");
const EXAMPLE_CSP: &str = page_csp!();

/// The pages: their paths and files (`pages/<file>.<lang>.html`).
const PAGES: [(&str, &str); 6] = [
    ("/", "dang-nhap"),
    ("/dang-nhap", "dang-nhap"),
    ("/dang-ky", "dang-ky"),
    ("/doi-mat-khau", "doi-mat-khau"),
    ("/quen-mat-khau", "quen-mat-khau"),
    ("/dat-lai-mat-khau", "dat-lai-mat-khau"),
];

/// The empty answer slot each rendered form ends with.
const SLOT: &str = "<div aria-live=\"polite\" class=\"outcome-slot\"></div>";

/// The cookie the language switch sets.
const LANG_COOKIE: &str = "matkhau_lang";

/// The rendered pages and their words, read once at start.
struct Pages {
    dir: PathBuf,
    /// `(file, lang)` → the page's HTML.
    html: HashMap<(String, Locale), String>,
    /// `lang` → key → text.
    words: HashMap<Locale, HashMap<String, String>>,
}

impl Pages {
    fn load(dir: &Path) -> Option<Pages> {
        let pages = dir.join("pages");
        let mut html = HashMap::new();
        for (_, file) in PAGES {
            for l in [Locale::Vi, Locale::En] {
                let text =
                    std::fs::read_to_string(pages.join(format!("{file}.{}.html", l.as_str())))
                        .ok()?;
                html.insert((file.to_string(), l), text);
            }
        }
        let words: Value =
            serde_json::from_str(&std::fs::read_to_string(pages.join("messages.json")).ok()?)
                .ok()?;
        let mut by_lang = HashMap::new();
        for l in [Locale::Vi, Locale::En] {
            let map = words[l.as_str()]
                .as_object()?
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect();
            by_lang.insert(l, map);
        }
        Some(Pages {
            dir: pages,
            html,
            words: by_lang,
        })
    }

    fn word(&self, l: Locale, key: &str) -> String {
        self.words
            .get(&l)
            .and_then(|w| w.get(key))
            .cloned()
            .unwrap_or_default()
    }
}

/// HTML-escapes text for an element or a quoted attribute.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's language: `?lang=` (remembered in the cookie), else the cookie, else Vietnamese.
fn language(query: Option<&str>, headers: &HeaderMap) -> (Locale, bool) {
    let asked = query.and_then(|q| {
        q.split('&')
            .find_map(|p| p.strip_prefix("lang="))
            .and_then(Locale::from_tag)
    });
    if let Some(l) = asked {
        return (l, true);
    }
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("matkhau_lang="))
        .and_then(Locale::from_tag);
    (cookie.unwrap_or(Locale::Vi), false)
}

fn file_of(path: &str) -> &'static str {
    PAGES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("dang-nhap", |(_, f)| f)
}

/// `GET` of a page: its file in the page's language, as built (precompressed twins).
async fn page(pages: Arc<Pages>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let (l, chosen) = language(request.uri().query(), request.headers());
    let file = pages
        .dir
        .join(format!("{}.{}.html", file_of(&path), l.as_str()));
    let served = ServeFile::new(file)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(request)
        .await;
    let mut response = match served {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    };
    let h = response.headers_mut();
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Cookie"),
    );
    if chosen {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            l.as_str()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            h.insert(header::SET_COOKIE, v);
        }
    }
    response
}

/// Whether a form post comes from this origin. Browsers say where a request comes from in
/// `Sec-Fetch-Site` (sent whatever the referrer policy): only `same-origin` (or `none`, typed by
/// the user) is accepted. Without it (an older browser), `Origin` must name this host; the
/// pages' `no-referrer` policy makes browsers send `Origin: null`, which is refused then.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

/// A form post's answer: the page again, the host's answer where the form's panel goes, the
/// values of the plain fields kept.
struct Answer {
    status: StatusCode,
    ok: bool,
    text: String,
    items: Vec<String>,
    link: Option<(String, String)>,
}

impl Answer {
    fn ok(text: String) -> Answer {
        Answer {
            status: StatusCode::OK,
            ok: true,
            text,
            items: Vec::new(),
            link: None,
        }
    }

    fn refused(status: StatusCode, text: String) -> Answer {
        Answer {
            status,
            ok: false,
            text,
            items: Vec::new(),
            link: None,
        }
    }

    fn link(mut self, href: &str, text: String) -> Answer {
        self.link = Some((href.to_string(), text));
        self
    }
}

/// The text of an error in the page's language, with its verdict's problems.
fn refusal(pages: &Pages, l: Locale, e: &Error) -> Answer {
    let code = e.code();
    let key = match (code, e) {
        (Code::LoginLocked, Error::Locked { reason, until, .. }) => match until {
            Some(_) => "e.login.locked.failures".to_string(),
            None => format!("e.login.locked.{}", reason.as_str()),
        },
        (Code::HashBusy | Code::PluginBusy | Code::PluginTimeout, _)
        | (Code::StorageUnavailable | Code::StorageWrite, _) => "e.busy".to_string(),
        _ => format!("e.{}", code.as_str()),
    };
    let mut text = pages.word(l, &key);
    if text.is_empty() {
        text = pages.word(l, "e.unknown").replace("{code}", code.as_str());
    }
    let minutes = e.retry_after().map_or(1, |s| ((s + 59) / 60).max(1));
    let text = text.replace("{minutes}", &minutes.to_string());
    let items = match e {
        Error::Rejected { verdict, .. } => {
            let mut seen: Vec<String> = Vec::new();
            for p in &verdict.problems {
                if !seen.contains(&p.message) {
                    seen.push(p.message.clone());
                }
            }
            seen
        }
        _ => Vec::new(),
    };
    Answer {
        status: super::status(code),
        ok: false,
        text,
        items,
        link: None,
    }
}

/// The page `file` in `l` with `answer` in its panel and `values` in its plain fields.
fn answer_page(
    pages: &Pages,
    file: &str,
    l: Locale,
    answer: Answer,
    values: &[(&str, &str)],
) -> Response {
    let Some(html) = pages.html.get(&(file.to_string(), l)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut panel = format!(
        "<div class=\"outcome {}\" role=\"{}\"><p>{}</p>",
        if answer.ok { "ok" } else { "bad" },
        if answer.ok { "status" } else { "alert" },
        escape(&answer.text)
    );
    if !answer.items.is_empty() {
        panel.push_str("<ul>");
        for item in &answer.items {
            panel.push_str(&format!("<li>{}</li>", escape(item)));
        }
        panel.push_str("</ul>");
    }
    if let Some((href, text)) = &answer.link {
        panel.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(href),
            escape(text)
        ));
    }
    panel.push_str("</div>");
    let mut page = html.replacen(SLOT, &panel, 1);
    for (id, value) in values {
        page = page.replacen(
            &format!("value=\"\" id=\"{id}\""),
            &format!("value=\"{}\" id=\"{id}\"", escape(value)),
            1,
        );
    }
    let mut response = (answer.status, Html(page)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Fields of the log-in form.
#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: Secret,
}

/// Fields of the sign-up form.
#[derive(Deserialize)]
struct SignupForm {
    #[serde(default)]
    kind: String,
    #[serde(default, rename = "full-name")]
    full_name: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    dob: String,
    #[serde(default)]
    password: Secret,
    #[serde(default)]
    confirm: Secret,
}

/// Fields of the change form.
#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    username: String,
    #[serde(default, rename = "current-password")]
    current: Secret,
    #[serde(default, rename = "new-password")]
    new: Secret,
    #[serde(default)]
    confirm: Secret,
}

/// Fields of the reset request form.
#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    login: String,
}

/// Fields of the reset form.
#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    code: Secret,
    #[serde(default, rename = "new-password")]
    new: Secret,
    #[serde(default)]
    confirm: Secret,
}

/// What every form post needs.
struct Post<'a> {
    app: &'a App,
    pages: &'a Pages,
    l: Locale,
    client: crate::accounts::Client,
}

impl Post<'_> {
    fn missing(&self) -> Answer {
        Answer::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            self.pages.word(self.l, "required_fields"),
        )
    }

    fn word(&self, key: &str) -> String {
        self.pages.word(self.l, key)
    }

    async fn login(&self, f: &LoginForm) -> Answer {
        if f.username.trim().is_empty() || f.password.is_empty() {
            return self.missing();
        }
        match self
            .app
            .service
            .login(f.username.trim(), &f.password, &self.client, unix_now())
            .await
        {
            // The code step and the enrolment need the module (the QR code, the ticket).
            Ok(a) if a.status == LoginStatus::OtpRequired => {
                Answer::refused(StatusCode::UNPROCESSABLE_ENTITY, self.word("otp_nojs"))
            }
            Ok(a) if a.reasons.contains(&MustChange::OtpEnrol) => {
                Answer::refused(StatusCode::UNPROCESSABLE_ENTITY, self.word("enrol_nojs"))
            }
            Ok(a) if a.reasons.is_empty() => {
                let mut answer = Answer::ok(self.word("login_done"));
                answer.items = a.messages.iter().map(|m| m.message.clone()).collect();
                answer
            }
            Ok(a) => {
                let mut answer = Answer::ok(self.word("forced_nojs"));
                answer.items = a.messages.iter().map(|m| m.message.clone()).collect();
                answer.link("/doi-mat-khau", self.word("forced_title"))
            }
            Err(e) => refusal(self.pages, self.l, &e),
        }
    }

    async fn signup(&self, f: &SignupForm) -> Answer {
        if f.username.trim().is_empty() || f.email.trim().is_empty() || f.password.is_empty() {
            return self.missing();
        }
        if f.password.expose() != f.confirm.expose() {
            return Answer::refused(StatusCode::UNPROCESSABLE_ENTITY, self.word("confirm_bad"));
        }
        let kind = match f.kind.as_str() {
            "organisation" => AccountKind::Organisation,
            _ => AccountKind::Citizen,
        };
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let registration = Registration {
            username: f.username.trim().to_string(),
            email: f.email.trim().to_string(),
            kind,
            context: Context {
                full_name: some(&f.full_name),
                phone: some(&f.phone),
                date_of_birth: some(&f.dob),
                ..Context::default()
            },
            password: Some(f.password.clone()),
            valid_until: None,
        };
        match self
            .app
            .service
            .register(registration, &self.client, false, unix_now())
            .await
        {
            Ok(_) => Answer::ok(self.word("signup_done")).link(
                &format!("/dang-nhap?u={}", f.username.trim()),
                self.word("go_login"),
            ),
            Err(e) => refusal(self.pages, self.l, &e),
        }
    }

    async fn change(&self, f: &ChangeForm) -> Answer {
        if f.username.trim().is_empty() || f.current.is_empty() || f.new.is_empty() {
            return self.missing();
        }
        if f.new.expose() != f.confirm.expose() {
            return Answer::refused(StatusCode::UNPROCESSABLE_ENTITY, self.word("confirm_bad"));
        }
        match self
            .app
            .service
            .change_password(
                f.username.trim(),
                &f.current,
                &f.new,
                &self.client,
                unix_now(),
            )
            .await
        {
            Ok(_) => Answer::ok(self.word("change_done")).link("/dang-nhap", self.word("go_login")),
            Err(e) => refusal(self.pages, self.l, &e),
        }
    }

    async fn forgot(&self, f: &ForgotForm) -> Answer {
        if f.login.trim().is_empty() {
            return self.missing();
        }
        match self
            .app
            .service
            .request_reset(f.login.trim(), &self.client, unix_now())
            .await
        {
            Ok(a) => Answer::ok(
                self.word("forgot_done")
                    .replace("{minutes}", &a.valid_minutes.to_string()),
            )
            .link("/dat-lai-mat-khau", self.word("have_code")),
            Err(e) => refusal(self.pages, self.l, &e),
        }
    }

    async fn reset(&self, f: &ResetForm) -> Answer {
        if f.code.is_empty() || f.new.is_empty() {
            return self.missing();
        }
        if f.new.expose() != f.confirm.expose() {
            return Answer::refused(StatusCode::UNPROCESSABLE_ENTITY, self.word("confirm_bad"));
        }
        match self
            .app
            .service
            .reset_password(f.code.expose(), &f.new, &self.client, unix_now())
            .await
        {
            Ok(_) => Answer::ok(self.word("reset_done")).link("/dang-nhap", self.word("go_login")),
            Err(e) => refusal(self.pages, self.l, &e),
        }
    }
}

/// A form posted without the module: checked, done by the service, answered by its page.
async fn post(
    pages: Arc<Pages>,
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    let file = file_of(&path);
    let (l, _) = language(parts.uri.query(), &parts.headers);
    if !same_origin(&parts.headers) {
        let text = pages
            .word(l, "e.unknown")
            .replace("{code}", "request.origin");
        return answer_page(
            &pages,
            file,
            l,
            Answer::refused(StatusCode::FORBIDDEN, text),
            &[],
        );
    }
    let request = Request::from_parts(parts.clone(), body);
    let post = Post {
        app: &app,
        pages: &pages,
        l,
        client: app.client(peer, &parts.headers, Actor::User, l),
    };
    macro_rules! form {
        ($t:ty) => {
            match Form::<$t>::from_request(request, &()).await {
                Ok(Form(f)) => f,
                Err(_) => {
                    let answer = post.missing();
                    return answer_page(&pages, file, l, answer, &[]);
                }
            }
        };
    }
    use axum::extract::FromRequest;
    match file {
        "dang-ky" => {
            let f = form!(SignupForm);
            let answer = post.signup(&f).await;
            let values = [
                ("full-name", f.full_name.as_str()),
                ("username", f.username.as_str()),
                ("email", f.email.as_str()),
                ("phone", f.phone.as_str()),
                ("dob", f.dob.as_str()),
            ];
            answer_page(&pages, file, l, answer, &values)
        }
        "doi-mat-khau" => {
            let f = form!(ChangeForm);
            let answer = post.change(&f).await;
            answer_page(
                &pages,
                file,
                l,
                answer,
                &[("username", f.username.as_str())],
            )
        }
        "quen-mat-khau" => {
            let f = form!(ForgotForm);
            let answer = post.forgot(&f).await;
            answer_page(&pages, file, l, answer, &[("login", f.login.as_str())])
        }
        "dat-lai-mat-khau" => {
            let f = form!(ResetForm);
            let answer = post.reset(&f).await;
            answer_page(&pages, file, l, answer, &[])
        }
        _ => {
            let f = form!(LoginForm);
            let answer = post.login(&f).await;
            answer_page(
                &pages,
                file,
                l,
                answer,
                &[("username", f.username.as_str())],
            )
        }
    }
}

/// The routes for the bundle in `dir`; when it is not built, the pages say how to build it.
pub(super) fn routes(dir: &Path) -> Router<Arc<App>> {
    let mut router = Router::new();
    match Pages::load(dir).map(Arc::new) {
        Some(pages) => {
            for (path, _) in PAGES {
                let (get_pages, post_pages) = (pages.clone(), pages.clone());
                let route: MethodRouter<Arc<App>> =
                    get(move |r: Request| page(get_pages.clone(), r)).post(
                        move |state, peer, r: Request| post(post_pages.clone(), state, peer, r),
                    );
                router = router.route(path, route);
            }
        }
        None => {
            let missing = || async {
                let text = "<!doctype html><meta charset=utf-8><title>matkhau</title>\
                    <p>The portal pages are not built. Run <code>cargo xtask web</code>, \
                    or start with <code>cargo xtask serve</code>.</p>";
                (StatusCode::SERVICE_UNAVAILABLE, Html(text)).into_response()
            };
            for (path, _) in PAGES {
                router = router.route(path, get(missing));
            }
        }
    }
    let mut router = router
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, PORTAL_CSP))
        .layer(header_layer(header::REFERRER_POLICY, "no-referrer"));
    if dir.join("pages").is_dir() {
        let files = |sub: &str| {
            ServeDir::new(dir.join(sub))
                .precompressed_br()
                .precompressed_gzip()
        };
        let widget = Router::new()
            .fallback_service(files("widget"))
            .layer(header_layer(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .layer(header_layer(
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ))
            // The example page is a page too.
            .layer(header_layer(header::CONTENT_SECURITY_POLICY, EXAMPLE_CSP));
        router = router
            .nest_service("/app", files("app"))
            .nest("/widget", widget);
    }
    router
        .layer(
            tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ),
        )
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h), "no Origin: a same-origin navigation");
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h), "fetch metadata decides when sent");
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn languages() {
        let mut h = HeaderMap::new();
        assert_eq!(language(None, &h), (Locale::Vi, false));
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; matkhau_lang=en"),
        );
        assert_eq!(language(None, &h), (Locale::En, false));
        assert_eq!(language(Some("x=1&lang=vi"), &h), (Locale::Vi, true));
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
