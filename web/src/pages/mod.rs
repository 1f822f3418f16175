//! One module per page, and what their forms share: the answer panel, posting to the host, the
//! translation of its error codes (no server English reaches the page), text fields with their
//! own error, focus.

pub mod change;
pub mod forced;
pub mod forgot;
pub mod login;
pub mod otp;
pub mod reset;
pub mod signup;

use crate::api::{self, Reply};
use crate::feedback::text_input;
use crate::i18n::t;
use matkhau_core::{Locale, Verdict};
use serde_json::Value;
use yew::prelude::*;

/// An answer panel: `role="status"` for successes, `role="alert"` for errors.
pub fn outcome(ok: bool, text: &str, extra: Html) -> Html {
    html! {
        <div class={classes!("outcome", if ok { "ok" } else { "bad" })} role={if ok { "status" } else { "alert" }}>
            <p>{ text.to_string() }</p>
            { extra }
        </div>
    }
}

/// A form's pending state and the answer panel under it.
#[derive(Clone)]
pub struct Form {
    /// Set while a request is out (the submit button is disabled).
    pub busy: UseStateHandle<bool>,
    /// The panel showing the last answer.
    pub result: UseStateHandle<Option<Html>>,
}

impl Form {
    /// The hooks of a form (call from the page component); starts with the panel the host
    /// rendered after a form post, if the served page had one.
    #[hook]
    pub fn use_form() -> Form {
        Form {
            busy: use_state(|| false),
            result: use_state(|| {
                crate::prefill::outcome().map(|h| Html::from_html_unchecked(h.into()))
            }),
        }
    }

    /// Shows `text` as a refusal without asking the host.
    pub fn refuse(&self, text: &str) {
        self.result.set(Some(outcome(false, text, Html::default())));
    }

    /// Shows `panel`.
    pub fn show(&self, panel: Html) {
        self.result.set(Some(panel));
    }

    /// The panel to render (the host's answer, or an empty live region for it).
    pub fn panel(&self) -> Html {
        match &*self.result {
            Some(h) => h.clone(),
            None => html! { <div class="outcome-slot" aria-live="polite"></div> },
        }
    }

    /// Posts `body` to `path` (once at a time) and shows the outcome: the network failure, the
    /// host's refusal (translated, with the verdict's problems), or what `done` makes of a
    /// success. `failed` may replace the panel of a refusal (`None`: the usual one).
    pub fn post(
        &self,
        locale: Locale,
        path: String,
        body: Value,
        done: impl FnOnce(&Reply) -> Option<Html> + 'static,
        failed: impl FnOnce(&Reply) -> Option<Html> + 'static,
    ) {
        if *self.busy {
            return;
        }
        self.busy.set(true);
        let form = self.clone();
        yew::platform::spawn_local(async move {
            let reply = api::post(&path, &body).await;
            form.busy.set(false);
            let panel = match reply {
                None => Some(outcome(false, t(locale, "network"), Html::default())),
                Some(r) if r.ok() => done(&r),
                Some(r) => failed(&r).or_else(|| {
                    Some(outcome(
                        false,
                        &error_text(locale, &r),
                        problems_of(locale, &r),
                    ))
                }),
            };
            form.result.set(panel);
        });
    }
}

/// Minutes from now until `until` (Unix seconds), at least 1.
fn minutes_until(until: i64) -> i64 {
    let now = (js_now() / 1000.0) as i64;
    ((until - now + 59) / 60).max(1)
}

#[cfg(target_arch = "wasm32")]
fn js_now() -> f64 {
    js_sys::Date::now()
}

#[cfg(not(target_arch = "wasm32"))]
fn js_now() -> f64 {
    0.0
}

/// The page's text for an error answer: its code translated (a lock with how long it lasts, a
/// wait with its seconds), or a message in the page's language naming the code. The host's
/// own message text is never shown: it may be in another language.
pub fn error_text(locale: Locale, reply: &Reply) -> String {
    let code = reply.error_code();
    let detail = &reply.body["error"]["detail"];
    match code.as_str() {
        "login.locked" => {
            let reason = detail["reason"].as_str().unwrap_or("admin");
            match detail["until"].as_i64() {
                Some(until) if reason == "failures" => t(locale, "e.login.locked.failures")
                    .replace("{minutes}", &minutes_until(until).to_string()),
                _ => {
                    let key = format!("e.login.locked.{reason}");
                    let text = t(locale, &key);
                    if text == "?" {
                        t(locale, "e.login.locked").to_string()
                    } else {
                        text.to_string()
                    }
                }
            }
        }
        "request.throttled" | "login.throttled" | "password.too_soon" => {
            let wait = reply.retry_after().unwrap_or(60);
            let minutes = ((wait + 59) / 60).max(1);
            t(locale, &format!("e.{code}")).replace("{minutes}", &minutes.to_string())
        }
        "hash.busy"
        | "plugin.busy"
        | "plugin.timeout"
        | "storage.unavailable"
        | "storage.write"
        | "request.timeout" => t(locale, "e.busy").to_string(),
        _ => {
            let known = t(locale, &format!("e.{code}"));
            if known == "?" {
                t(locale, "e.unknown").replace("{code}", if code.is_empty() { "?" } else { &code })
            } else {
                known.to_string()
            }
        }
    }
}

/// The link to log in as `username`.
pub fn login_link(locale: Locale, username: &str) -> Html {
    let href = format!("/dang-nhap?u={}", api::segment(username));
    html! { <a href={href}>{ t(locale, "go_login") }</a> }
}

/// The problems of a verdict the host attached to a `password.rejected` error, one per cause.
pub fn problems_of(_locale: Locale, reply: &Reply) -> Html {
    let detail = &reply.body["error"]["detail"];
    let verdict = if detail["problems"].is_array() {
        detail
    } else {
        &detail["verdict"]
    };
    let Ok(verdict) = serde_json::from_value::<Verdict>(verdict.clone()) else {
        return Html::default();
    };
    let brief = matkhau_core::brief(&verdict);
    html! {
        <ul>{ for brief.problems.iter().map(|p| html! { <li data-code={p.code.clone()}>{ p.message.clone() }</li> }) }</ul>
    }
}

/// The strings of a JSON array of strings, or of the `message` fields of an array of objects.
pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().or_else(|| v["message"].as_str()))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Moves keyboard focus to the element `id`.
pub fn focus(id: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Gives focus back to the field that had it in the served page, caret where it was.
pub fn restore_focus() {
    #[cfg(target_arch = "wasm32")]
    if let Some((id, caret)) = crate::prefill::focus() {
        use wasm_bindgen::JsCast;
        if let Some(input) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            let _ = input.focus();
            let _ = input.set_selection_range(caret, caret);
        }
    }
}

/// A text field's description.
pub struct TextField<'a> {
    /// The input's id (and form name).
    pub id: &'static str,
    /// The label's text.
    pub label: &'a str,
    /// `text`, `email`, `tel`, `date`.
    pub kind: &'static str,
    /// Its `autocomplete` token.
    pub autocomplete: &'static str,
    /// Whether the form needs it.
    pub required: bool,
    /// The error shown under it (`aria-invalid` set).
    pub error: Option<String>,
}

/// A labelled text input bound to `state`, with its error under it.
pub fn text_field(f: TextField<'_>, state: &UseStateHandle<String>) -> Html {
    let s = state.clone();
    let error_id = format!("{}-error", f.id);
    html! {
        <div class="field">
            <label for={f.id}>{ f.label.to_string() }</label>
            <input id={f.id} name={f.id} type={f.kind} value={(**state).clone()}
                autocomplete={f.autocomplete} required={f.required}
                autocapitalize={if matches!(f.kind, "email") || f.id.contains("username") || f.id == "login" { "none" } else { "sentences" }}
                spellcheck={if f.kind == "text" && f.autocomplete != "name" { "false" } else { "true" }}
                aria-invalid={if f.error.is_some() { "true" } else { "false" }}
                aria-describedby={f.error.as_ref().map(|_| error_id.clone())}
                oninput={text_input(Callback::from(move |v| s.set(v)))} />
            if let Some(e) = &f.error {
                <p id={error_id} class="field-error">{ e.clone() }</p>
            }
        </div>
    }
}

/// Whether `u` is a username the host accepts (3–64 of letters, digits, `._-@`, starting with a
/// letter or digit), so the page says so before sending.
pub fn valid_username(u: &str) -> bool {
    let n = u.chars().count();
    (3..=64).contains(&n)
        && u.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// Whether `e` looks like one mail address (the host checks it fully).
pub fn plausible_email(e: &str) -> bool {
    match e.trim().split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.contains(char::is_whitespace)
        }
        None => false,
    }
}
