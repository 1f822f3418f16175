//! One module per page, and what their forms share.

pub mod change;
pub mod login;
pub mod signup;

use crate::api::{self, Reply};
use crate::app::error_text;
use crate::i18n::t;
use matkhau_core::Locale;
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
    /// The hooks of a form (call from the page component).
    #[hook]
    pub fn use_form() -> Form {
        Form {
            busy: use_state(|| false),
            result: use_state(|| None),
        }
    }

    /// Shows `text` as a refusal without asking the host.
    pub fn refuse(&self, text: &str) {
        self.result.set(Some(outcome(false, text, Html::default())));
    }

    /// Posts `body` to `path` (once at a time) and shows the outcome: the network failure, the
    /// host's refusal with the verdict's problems, or what `done` makes of a success.
    pub fn post(
        &self,
        locale: Locale,
        path: String,
        body: Value,
        done: impl FnOnce(&Reply) -> Option<Html> + 'static,
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
                Some(r) => Some(outcome(false, &error_text(locale, &r), problems_of(&r))),
            };
            form.result.set(panel);
        });
    }
}

/// The link to log in as `username`.
pub fn login_link(locale: Locale, username: &str) -> Html {
    let href = format!("/dang-nhap?u={}", api::segment(username));
    html! { <a href={href}>{ t(locale, "go_login") }</a> }
}

/// The problems of a verdict the host attached to a `password.rejected` error.
pub fn problems_of(reply: &Reply) -> Html {
    let detail = &reply.body["error"]["detail"];
    let verdict = if detail["problems"].is_array() {
        detail
    } else {
        &detail["verdict"]
    };
    let Some(problems) = verdict["problems"].as_array() else {
        return Html::default();
    };
    html! {
        <ul>{ for problems.iter().filter_map(|p| p["message"].as_str()).map(|m| html! { <li>{ m.to_string() }</li> }) }</ul>
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
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
