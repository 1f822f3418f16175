//! Change password, by choice or because the host requires it (weak, expired, temporary, first
//! login, leaked).

use super::{focus, login_link, outcome, Form};
use crate::api;
use crate::app::{Forced, Shared};
use crate::feedback::{text_input, ConfirmField, PasswordField, Status};
use crate::i18n::{t, tp};
use matkhau_core::Context;
use serde_json::json;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`ChangePage`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Locale and policy.
    pub shared: Shared,
    /// Set when the log-in answer required this change.
    #[prop_or_default]
    pub forced: Option<Forced>,
}

/// The change-password form.
#[function_component(ChangePage)]
pub fn change_page(props: &Props) -> Html {
    let l = props.shared.locale;
    let forced = props.forced.clone();
    let username = use_state(|| {
        forced
            .as_ref()
            .map(|f| f.username.clone())
            .unwrap_or_default()
    });
    let current = use_state(|| {
        forced
            .as_ref()
            .and_then(|f| f.current.clone())
            .unwrap_or_default()
    });
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let status = use_state(|| Status::Pending);
    let form = Form::use_form();
    let done = use_state(|| false);
    // The current password is asked for unless log-in just proved it.
    let ask_current = forced.as_ref().is_none_or(|f| f.current.is_none());
    let mailed = forced.as_ref().is_some_and(|f| f.current.is_none());

    let context = use_memo((*username).clone(), |u| Context {
        username: (!u.is_empty()).then(|| u.clone()),
        ..Context::default()
    });

    let submit = {
        let (form, status, done) = (form.clone(), status.clone(), done.clone());
        let (username, current, new, confirm) = (
            username.clone(),
            current.clone(),
            new.clone(),
            confirm.clone(),
        );
        let policy_known = props.shared.policy.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if (policy_known && *status != Status::Accepted) || *new != *confirm {
                form.refuse(t(l, "fix_first"));
                focus("new-password");
                return;
            }
            let body = json!({
                "current_password": *current,
                "new_password": *new,
                "locale": l,
            });
            let path = format!("/v1/accounts/{}/password", api::segment(&username));
            let (done, user) = (done.clone(), (*username).clone());
            form.post(l, path, body, move |_| {
                done.set(true);
                Some(outcome(true, t(l, "change_done"), login_link(l, &user)))
            });
        })
    };

    let banner = forced.as_ref().map(|f| {
        html! {
            <div class="forced" role="alert">
                <h2>{ t(l, "forced_title") }</h2>
                <ul>
                    { for f.reasons.iter().map(|r| {
                        let text = tp(l, &format!("reason.{r}"), props.shared.policy.as_deref());
                        html! { <li data-reason={r.clone()}>{ if text == "?" { r.clone() } else { text } }</li> }
                    }) }
                    { for f.messages.iter().map(|m| html! { <li class="host-note">{ m.clone() }</li> }) }
                </ul>
                if mailed { <p>{ t(l, "forced_temporary_sent") }</p> }
            </div>
        }
    });

    html! {
        <form class="card" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "change") }</h1>
            { banner.unwrap_or_default() }
            <div class="field">
                <label for="username">{ t(l, "username") }</label>
                <input id="username" type="text" value={(*username).clone()} autocomplete="username"
                    required=true readonly={forced.is_some()} autocapitalize="none" spellcheck="false"
                    oninput={let u = username.clone(); text_input(Callback::from(move |v| u.set(v)))} />
            </div>
            if ask_current {
                <PasswordField id="current-password"
                    label={t(l, if mailed { "temporary_password" } else { "current_password" })}
                    value={(*current).clone()}
                    on_input={let c = current.clone(); Callback::from(move |v| c.set(v))}
                    autocomplete="current-password" locale={l} />
            }
            <PasswordField id="new-password" label={t(l, "new_password")} value={(*new).clone()}
                on_input={let p = new.clone(); Callback::from(move |v| p.set(v))}
                autocomplete="new-password" locale={l} policy={props.shared.policy.clone()}
                feedback=true context={Rc::clone(&context)}
                on_status={let s = status.clone(); Callback::from(move |v| s.set(v))} />
            <ConfirmField password={(*new).clone()} value={(*confirm).clone()} locale={l}
                on_input={let c = confirm.clone(); Callback::from(move |v| c.set(v))} />
            <button type="submit" class="primary" disabled={*form.busy || *done}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_change") } }</button>
            { (*form.result).clone().unwrap_or_default() }
        </form>
    }
}
