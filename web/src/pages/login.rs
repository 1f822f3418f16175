//! Log in. A `must_change` answer opens the change page with the host's reasons.

use super::{outcome, strings, Form};
use crate::app::{Forced, Shared};
use crate::feedback::{text_input, PasswordField};
use crate::i18n::t;
use serde_json::json;
use yew::prelude::*;

/// Properties of [`LoginPage`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Locale and policy.
    pub shared: Shared,
    /// Called when the host requires a password change.
    pub on_forced: Callback<Forced>,
}

/// The log-in form.
#[function_component(LoginPage)]
pub fn login_page(props: &Props) -> Html {
    let l = props.shared.locale;
    let username = use_state(|| {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
            .and_then(|q| q.get("u"))
            .unwrap_or_default()
    });
    let password = use_state(String::new);
    let form = Form::use_form();

    let submit = {
        let (username, password, form) = (username.clone(), password.clone(), form.clone());
        let on_forced = props.on_forced.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = json!({"username": *username, "password": *password, "locale": l});
            let (on_forced, typed) = (on_forced.clone(), (*password).clone());
            form.post(l, "/v1/login".into(), body, move |reply| {
                let b = &reply.body;
                let notes = strings(&b["messages"]);
                if b["status"] == "must_change" {
                    let mailed = b["temporary_password_sent"].as_bool() == Some(true);
                    on_forced.emit(Forced {
                        username: b["username"].as_str().unwrap_or_default().to_string(),
                        current: (!mailed).then_some(typed),
                        reasons: strings(&b["reasons"]),
                        messages: notes,
                    });
                    None
                } else {
                    let extra = html! { <ul>{ for notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul> };
                    Some(outcome(true, t(l, "login_done"), extra))
                }
            });
        })
    };

    html! {
        <form class="card" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "login") }</h1>
            <div class="field">
                <label for="username">{ t(l, "username") }</label>
                <input id="username" type="text" value={(*username).clone()} autocomplete="username"
                    required=true autocapitalize="none" spellcheck="false"
                    oninput={let u = username.clone(); text_input(Callback::from(move |v| u.set(v)))} />
            </div>
            <PasswordField id="password" label={t(l, "password")} value={(*password).clone()}
                on_input={let p = password.clone(); Callback::from(move |v| p.set(v))}
                autocomplete="current-password" locale={l} />
            <button type="submit" class="primary" disabled={*form.busy}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_login") } }</button>
            { (*form.result).clone().unwrap_or_default() }
        </form>
    }
}
