//! Change password by choice. The new password is judged with the account's own data (name,
//! birth date, e-mail, phone…), fetched from the host once the current password is proven
//! (when the user leaves that field, or at submit), kept in memory only: so what this page
//! accepts, the host accepts.

use super::{error_text, focus, login_link, outcome, text_field, Form, TextField};
use crate::api;
use crate::app::Shared;
use crate::feedback::{ConfirmField, PasswordField, Status};
use crate::i18n::t;
use matkhau_core::{Context, Locale};
use serde_json::json;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`ChangePage`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Locale and policy.
    pub shared: Shared,
}

/// The account's data as the host gave it, for the username and password it was asked with.
#[derive(Clone, PartialEq)]
pub struct Known {
    /// The username and current password it was fetched with.
    pub key: (String, String),
    /// The data.
    pub context: Rc<Context>,
}

/// Asks the host for the account's data with `username` and `password`; `Err` is the text to
/// show under the current password.
pub async fn fetch_context(
    l: Locale,
    username: &str,
    password: &str,
) -> Result<Rc<Context>, String> {
    let path = format!("/v1/accounts/{}/context", api::segment(username));
    let reply = api::post(&path, &json!({"password": password, "locale": l}))
        .await
        .ok_or_else(|| t(l, "network").to_string())?;
    if !reply.ok() {
        return Err(match reply.error_code().as_str() {
            "login.failed" => t(l, "current_wrong").to_string(),
            _ => error_text(l, &reply),
        });
    }
    serde_json::from_value::<Context>(reply.body["context"].clone())
        .map(Rc::new)
        .map_err(|_| t(l, "network").to_string())
}

/// The change-password form.
#[function_component(ChangePage)]
pub fn change_page(props: &Props) -> Html {
    let l = props.shared.locale;
    let v = crate::prefill::value;
    let username = use_state(|| v("username"));
    let current = use_state(|| v("current-password"));
    let new = use_state(|| v("new-password"));
    let confirm = use_state(|| v("confirm"));
    let status = use_state(|| Status::Pending);
    let known = use_state(|| None::<Known>);
    let current_error = use_state(|| None::<String>);
    let user_error = use_state(|| None::<String>);
    let confirm_error = use_state(|| false);
    let form = Form::use_form();
    let done = use_state(|| false);

    let key = (username.trim().to_string(), (*current).clone());
    let ready = known.as_ref().is_some_and(|k| k.key == key);
    let context = {
        let known = known.as_ref().filter(|_| ready).map(|k| k.context.clone());
        let user = key.0.clone();
        // One value per state, so the verdict can tell it was computed with this very data.
        (*use_memo(
            (known.clone().map(|c| Rc::as_ptr(&c) as usize), user),
            move |(_, user)| {
                known.unwrap_or_else(|| {
                    Rc::new(Context {
                        username: (!user.is_empty()).then(|| user.clone()),
                        ..Context::default()
                    })
                })
            },
        ))
        .clone()
    };
    // Proves the current password and fetches the account's data (once per pair typed).
    let learn = {
        let (known, current_error) = (known.clone(), current_error.clone());
        let key = key.clone();
        move || {
            if key.0.is_empty() || key.1.is_empty() || known.as_ref().is_some_and(|k| k.key == key)
            {
                return;
            }
            let (known, current_error, key) = (known.clone(), current_error.clone(), key.clone());
            yew::platform::spawn_local(async move {
                match fetch_context(l, &key.0, &key.1).await {
                    Ok(context) => {
                        current_error.set(None);
                        known.set(Some(Known { key, context }));
                    }
                    Err(text) => current_error.set(Some(text)),
                }
            });
        }
    };
    let on_leave = {
        let learn = learn.clone();
        Callback::from(move |_: FocusEvent| learn())
    };

    let submit = {
        let (form, status, done) = (form.clone(), status.clone(), done.clone());
        let (new, confirm, known) = (new.clone(), confirm.clone(), known.clone());
        let (current_error, user_error, confirm_error) = (
            current_error.clone(),
            user_error.clone(),
            confirm_error.clone(),
        );
        let policy = props.shared.policy.clone();
        let key = key.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            user_error.set(
                key.0
                    .is_empty()
                    .then(|| t(l, "required_username").to_string()),
            );
            if key.0.is_empty() {
                focus("username");
                return;
            }
            if key.1.is_empty() {
                current_error.set(Some(t(l, "required_current").to_string()));
                focus("current-password");
                return;
            }
            if new.is_empty() || *status == Status::Rejected {
                form.refuse(t(l, "password_not_ok"));
                focus("new-password");
                return;
            }
            if *new != *confirm {
                confirm_error.set(true);
                form.refuse(t(l, "confirm_bad"));
                focus("confirm");
                return;
            }
            confirm_error.set(false);
            let (form, done, known, current_error) = (
                form.clone(),
                done.clone(),
                known.clone(),
                current_error.clone(),
            );
            let (key, new, policy) = (key.clone(), (*new).clone(), policy.clone());
            yew::platform::spawn_local(async move {
                // The account's data first, so the verdict here is the host's.
                let context = match known.as_ref().filter(|k| k.key == key) {
                    Some(k) => k.context.clone(),
                    None => match fetch_context(l, &key.0, &key.1).await {
                        Ok(c) => {
                            known.set(Some(Known {
                                key: key.clone(),
                                context: c.clone(),
                            }));
                            c
                        }
                        Err(text) => {
                            current_error.set(Some(text));
                            focus("current-password");
                            return;
                        }
                    },
                };
                if let Some(policy) = policy.as_deref() {
                    if !matkhau_core::evaluate(&new, &context, policy, l).accepted {
                        form.refuse(t(l, "password_not_ok"));
                        focus("new-password");
                        return;
                    }
                }
                let body = json!({"current_password": key.1, "new_password": new, "locale": l});
                let path = format!("/v1/accounts/{}/password", api::segment(&key.0));
                let user = key.0.clone();
                form.post(
                    l,
                    path,
                    body,
                    move |_| {
                        done.set(true);
                        Some(outcome(true, t(l, "change_done"), login_link(l, &user)))
                    },
                    |_| None,
                );
            });
        })
    };

    html! {
        <form class="card" method="post" action="/doi-mat-khau" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "change") }</h1>
            { text_field(TextField { id: "username", label: t(l, "username"), kind: "text",
                autocomplete: "username", required: true, error: (*user_error).clone() }, &username) }
            <div onfocusout={on_leave}>
                <PasswordField id="current-password" label={t(l, "current_password")}
                    value={(*current).clone()}
                    on_input={let c = current.clone(); Callback::from(move |v| c.set(v))}
                    autocomplete="current-password" locale={l}
                    error={(*current_error).clone().map(AttrValue::from)} />
            </div>
            <PasswordField id="new-password" label={t(l, "new_password")} value={(*new).clone()}
                on_input={let p = new.clone(); Callback::from(move |v| p.set(v))}
                on_suggest={let c = confirm.clone(); Callback::from(move |v| c.set(v))}
                autocomplete="new-password" locale={l} policy={props.shared.policy.clone()}
                feedback=true context={context} context_ready={ready}
                on_status={let s = status.clone(); Callback::from(move |v| s.set(v))} />
            <ConfirmField password={(*new).clone()} value={(*confirm).clone()} locale={l} error={*confirm_error}
                on_input={let c = confirm.clone(); Callback::from(move |v| c.set(v))} />
            <button type="submit" class="primary" disabled={*form.busy || *done}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_change") } }</button>
            <p class="aside"><a href="/quen-mat-khau">{ t(l, "forgot") }</a></p>
            { form.panel() }
        </form>
    }
}
