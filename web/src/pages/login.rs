//! Log in. A `must_change` answer opens the forced change with the host's reasons and the
//! account's data; a temporary password mailed is remembered for this tab (the masked address
//! only), so a reload still says where it went.

use super::{error_text, focus, outcome, strings, text_field, Form, TextField};
use crate::app::{Forced, Shared};
use crate::feedback::PasswordField;
use crate::i18n::t;
use matkhau_core::Locale;
use serde_json::json;
use yew::prelude::*;

/// Properties of [`LoginPage`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Locale and policy.
    pub shared: Shared,
    /// Called when the host requires a password change.
    pub on_forced: Callback<Forced>,
    /// Called when the host asks for the one-time code.
    pub on_code: Callback<super::otp::Step>,
    /// Called when the account must enrol an authenticator app first: (username, password).
    pub on_enrol: Callback<(String, String)>,
}

/// The `sessionStorage` key of a mailed temporary password's note.
const MAILED: &str = "matkhau.mailed";

/// Remembers (for this tab) that a temporary password for `forced.username` went to its masked
/// address; `None` forgets it.
pub fn remember_mailed(forced: Option<&Forced>) {
    #[cfg(target_arch = "wasm32")]
    if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        match forced.and_then(|f| serde_json::to_string(f).ok()) {
            Some(text) => {
                let _ = storage.set_item(MAILED, &text);
            }
            None => {
                let _ = storage.remove_item(MAILED);
            }
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (forced, MAILED);
}

/// The mailed temporary password this tab was told about.
pub fn mailed() -> Option<Forced> {
    #[cfg(target_arch = "wasm32")]
    {
        let storage = web_sys::window()?.session_storage().ok().flatten()?;
        let text = storage.get_item(MAILED).ok().flatten()?;
        serde_json::from_str(&text).ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// The note about a temporary password mailed for `f`.
pub fn mailed_note(l: Locale, f: &Forced) -> String {
    let to = f
        .mail_to
        .clone()
        .unwrap_or_else(|| t(l, "your_email").to_string());
    t(
        l,
        if f.sent {
            "mailed_note"
        } else {
            "mailed_queued"
        },
    )
    .replace("{username}", &f.username)
    .replace("{mail_to}", &to)
}

/// The log-in form.
#[function_component(LoginPage)]
pub fn login_page(props: &Props) -> Html {
    let l = props.shared.locale;
    let username = use_state(|| {
        let typed = crate::prefill::value("username");
        if !typed.is_empty() {
            return typed;
        }
        query_user()
    });
    let password = use_state(|| crate::prefill::value("password"));
    let errors = use_state(|| (None::<String>, None::<String>));
    let form = Form::use_form();
    let pending = use_state(|| None::<Forced>);
    use_effect_with((), {
        let pending = pending.clone();
        move |_| pending.set(mailed())
    });

    let submit = {
        let (username, password, form, errors) = (
            username.clone(),
            password.clone(),
            form.clone(),
            errors.clone(),
        );
        let on_forced = props.on_forced.clone();
        let (on_code, on_enrol) = (props.on_code.clone(), props.on_enrol.clone());
        let pending = pending.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let missing_user = username.trim().is_empty();
            let missing_password = password.is_empty();
            errors.set((
                missing_user.then(|| t(l, "required_username").to_string()),
                missing_password.then(|| t(l, "required_password").to_string()),
            ));
            if missing_user || missing_password {
                focus(if missing_user { "username" } else { "password" });
                return;
            }
            let body = json!({"username": username.trim(), "password": *password, "locale": l});
            let (on_forced, typed) = (on_forced.clone(), (*password).clone());
            let (on_code, on_enrol) = (on_code.clone(), on_enrol.clone());
            let asked = username.trim().to_lowercase();
            let remembered = (*pending).clone();
            form.post(
                l,
                "/v1/login".into(),
                body,
                move |reply| {
                    let b = &reply.body;
                    let username = b["username"].as_str().unwrap_or_default().to_string();
                    if b["status"] == "otp_required" {
                        on_code.emit(super::otp::Step {
                            username,
                            ticket: b["ticket"].as_str().unwrap_or_default().to_string(),
                            password: typed,
                        });
                        return None;
                    }
                    if b["status"] == "must_change"
                        && strings(&b["reasons"]).iter().any(|r| r == "otp_enrol")
                    {
                        on_enrol.emit((username, typed));
                        return None;
                    }
                    super::otp::finished(l, b, typed, &on_forced)
                },
                move |reply| {
                    // The old password of an account whose temporary one was mailed: say so.
                    let note = remembered
                        .filter(|f| f.username.to_lowercase() == asked)
                        .filter(|_| reply.error_code() == "login.failed");
                    note.map(|f| {
                        let extra = html! { <p>{ mailed_note(l, &f) }</p> };
                        outcome(false, &error_text(l, reply), extra)
                    })
                },
            );
        })
    };

    let (user_error, password_error) = (*errors).clone();
    html! {
        <form class="card" method="post" action="/dang-nhap" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "login") }</h1>
            if let Some(f) = &*pending {
                <p class="note info" role="status">{ mailed_note(l, f) }</p>
            }
            { text_field(TextField { id: "username", label: t(l, "username"), kind: "text",
                autocomplete: "username", required: true, error: user_error }, &username) }
            <PasswordField id="password" label={t(l, "password")} value={(*password).clone()}
                on_input={let p = password.clone(); Callback::from(move |v| p.set(v))}
                autocomplete="current-password" locale={l} error={password_error.map(AttrValue::from)} />
            <button type="submit" class="primary" disabled={*form.busy}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_login") } }</button>
            <p class="aside"><a href="/quen-mat-khau">{ t(l, "forgot") }</a></p>
            { form.panel() }
        </form>
    }
}

/// The `u` query parameter (the username a previous page passed on).
fn query_user() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
            .and_then(|q| q.get("u"))
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}
