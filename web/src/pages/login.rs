//! Log in. A `must_change` answer opens the change page with the host's reasons.

use super::{outcome, text_of};
use crate::api;
use crate::app::{error_text, Forced, Shared};
use crate::feedback::PasswordField;
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
    let busy = use_state(|| false);
    let result = use_state(|| None::<Html>);

    let submit = {
        let (username, password, busy, result) = (
            username.clone(),
            password.clone(),
            busy.clone(),
            result.clone(),
        );
        let on_forced = props.on_forced.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let body = json!({"username": *username, "password": *password, "locale": if l == matkhau_core::Locale::En { "en" } else { "vi" }});
            let (busy, result, on_forced, typed) = (
                busy.clone(),
                result.clone(),
                on_forced.clone(),
                (*password).clone(),
            );
            yew::platform::spawn_local(async move {
                let reply = api::post("/v1/login", &body).await;
                busy.set(false);
                let Some(reply) = reply else {
                    result.set(Some(outcome(false, t(l, "network"), Html::default())));
                    return;
                };
                if !reply.ok() {
                    result.set(Some(outcome(
                        false,
                        &error_text(l, &reply),
                        Html::default(),
                    )));
                    return;
                }
                let b = &reply.body;
                let notes: Vec<String> = b["messages"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|m| m["message"].as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                if b["status"] == "must_change" {
                    let reasons: Vec<String> = b["reasons"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|r| r.as_str().map(String::from))
                                .collect()
                        })
                        .unwrap_or_default();
                    let mailed = b["temporary_password_sent"].as_bool() == Some(true);
                    on_forced.emit(Forced {
                        username: b["username"].as_str().unwrap_or_default().to_string(),
                        current: (!mailed).then_some(typed),
                        reasons,
                        messages: notes,
                    });
                } else {
                    let extra = html! { <ul>{ for notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul> };
                    result.set(Some(outcome(true, t(l, "login_done"), extra)));
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
                    oninput={let u = username.clone(); Callback::from(move |e| u.set(text_of(e)))} />
            </div>
            <PasswordField id="password" label={t(l, "password")} value={(*password).clone()}
                on_input={let p = password.clone(); Callback::from(move |v| p.set(v))}
                autocomplete="current-password" locale={l} />
            <button type="submit" class="primary" disabled={*busy}>{ if *busy { t(l, "sending") } else { t(l, "submit_login") } }</button>
            { (*result).clone().unwrap_or_default() }
        </form>
    }
}
