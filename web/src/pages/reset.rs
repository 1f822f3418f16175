//! Setting a new password with a mailed reset code. The code comes from the mail's link (in the
//! address's fragment, which no server sees; removed from the address bar at once) or is typed;
//! the host then gives the account's data, so the new password is judged here as it will be
//! there.

use super::{error_text, focus, login_link, outcome, Form};
use crate::api;
use crate::app::Shared;
use crate::feedback::{ConfirmField, PasswordField, Status};
use crate::i18n::t;
use matkhau_core::{Context, Locale};
use serde_json::json;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`ResetPage`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Locale and policy.
    pub shared: Shared,
}

/// What a verified code opened.
#[derive(Clone, PartialEq)]
struct Opened {
    code: String,
    username: String,
    context: Rc<Context>,
}

/// The code in the address's fragment (`#ma=…`), removed from the address bar.
fn code_from_link() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(w) = web_sys::window() else {
            return String::new();
        };
        let hash = w.location().hash().unwrap_or_default();
        let code = hash.strip_prefix("#ma=").unwrap_or_default().to_string();
        if !code.is_empty() {
            if let Ok(history) = w.history() {
                let _ = history.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some("/dat-lai-mat-khau"),
                );
            }
        }
        code
    }
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

async fn open(l: Locale, code: &str) -> Result<Opened, String> {
    let reply = api::post(
        "/v1/password-reset/verify",
        &json!({"code": code, "locale": l}),
    )
    .await
    .ok_or_else(|| t(l, "network").to_string())?;
    if !reply.ok() {
        return Err(error_text(l, &reply));
    }
    let context = serde_json::from_value::<Context>(reply.body["context"].clone())
        .map_err(|_| t(l, "network").to_string())?;
    Ok(Opened {
        code: code.to_string(),
        username: reply.body["username"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        context: Rc::new(context),
    })
}

/// The reset form.
#[function_component(ResetPage)]
pub fn reset_page(props: &Props) -> Html {
    let l = props.shared.locale;
    let code = use_state(|| {
        let linked = code_from_link();
        if linked.is_empty() {
            crate::prefill::value("code")
        } else {
            linked
        }
    });
    let opened = use_state(|| None::<Opened>);
    let code_error = use_state(|| None::<String>);
    let new = use_state(|| crate::prefill::value("new-password"));
    let confirm = use_state(|| crate::prefill::value("confirm"));
    let status = use_state(|| Status::Pending);
    let confirm_error = use_state(|| false);
    let form = Form::use_form();
    let done = use_state(|| false);

    let check_code = {
        let (code, opened, code_error) = (code.clone(), opened.clone(), code_error.clone());
        move || {
            let typed = code.trim().to_string();
            if typed.is_empty() || opened.as_ref().is_some_and(|o| o.code == typed) {
                return;
            }
            let (opened, code_error) = (opened.clone(), code_error.clone());
            yew::platform::spawn_local(async move {
                match open(l, &typed).await {
                    Ok(o) => {
                        code_error.set(None);
                        opened.set(Some(o));
                        focus("new-password");
                    }
                    Err(text) => {
                        opened.set(None);
                        code_error.set(Some(text));
                    }
                }
            });
        }
    };
    {
        // A code from the link is checked at once.
        let check = check_code.clone();
        use_effect_with((), move |_| check());
    }
    let on_leave = {
        let check = check_code.clone();
        Callback::from(move |_: FocusEvent| check())
    };

    let ready = opened.as_ref().is_some_and(|o| o.code == code.trim());
    let context = {
        let opened = opened.as_ref().filter(|_| ready).map(|o| o.context.clone());
        (*use_memo(opened.clone().map(|c| Rc::as_ptr(&c) as usize), move |_| {
            opened.unwrap_or_default()
        }))
        .clone()
    };

    let submit = {
        let (form, status, done) = (form.clone(), status.clone(), done.clone());
        let (code, new, confirm, opened) =
            (code.clone(), new.clone(), confirm.clone(), opened.clone());
        let (code_error, confirm_error) = (code_error.clone(), confirm_error.clone());
        let check = check_code.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = code.trim().to_string();
            if typed.is_empty() {
                code_error.set(Some(t(l, "required_code").to_string()));
                focus("code");
                return;
            }
            let Some(o) = opened.as_ref().filter(|o| o.code == typed).cloned() else {
                check();
                return;
            };
            if new.is_empty() || *status != Status::Accepted {
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
            let body = json!({"code": o.code, "new_password": *new, "locale": l});
            let done = done.clone();
            let user = o.username.clone();
            form.post(
                l,
                "/v1/password-reset/complete".into(),
                body,
                move |_| {
                    done.set(true);
                    Some(outcome(true, t(l, "reset_done"), login_link(l, &user)))
                },
                |_| None,
            );
        })
    };

    let code_input = {
        let c = code.clone();
        crate::feedback::text_input(Callback::from(move |v| c.set(v)))
    };
    html! {
        <form class="card" method="post" action="/dat-lai-mat-khau" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "reset_title") }</h1>
            <div class="field">
                <label for="code">{ t(l, "reset_code") }</label>
                <input id="code" name="code" type="text" value={(*code).clone()} oninput={code_input}
                    onblur={on_leave} autocomplete="one-time-code" autocapitalize="none" spellcheck="false"
                    required=true aria-invalid={if code_error.is_some() { "true" } else { "false" }}
                    aria-describedby={code_error.as_ref().map(|_| "code-error")} />
                if let Some(e) = &*code_error {
                    <p id="code-error" class="field-error">{ e.clone() }</p>
                }
                if let Some(o) = opened.as_ref().filter(|_| ready) {
                    <p class="note ok" role="status">{ t(l, "reset_for").replace("{username}", &o.username) }</p>
                }
            </div>
            <PasswordField id="new-password" label={t(l, "new_password")} value={(*new).clone()}
                on_input={let p = new.clone(); Callback::from(move |v| p.set(v))}
                on_suggest={let c = confirm.clone(); Callback::from(move |v| c.set(v))}
                autocomplete="new-password" locale={l} policy={props.shared.policy.clone()}
                feedback=true context={context} context_ready={ready}
                on_status={let s = status.clone(); Callback::from(move |v| s.set(v))} />
            <ConfirmField password={(*new).clone()} value={(*confirm).clone()} locale={l} error={*confirm_error}
                on_input={let c = confirm.clone(); Callback::from(move |v| c.set(v))} />
            <button type="submit" class="primary" disabled={*form.busy || *done}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_reset") } }</button>
            <p class="aside"><a href="/quen-mat-khau">{ t(l, "new_code") }</a></p>
            { form.panel() }
        </form>
    }
}
