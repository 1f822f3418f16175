//! The change the host requires at log-in (weak, expired, temporary, first login, leaked,
//! breached). It explains itself once: one line per reason, and when a temporary password was
//! mailed, where it went (masked) and what to do with it, with "did not get the mail?" (a reset
//! code to the same address, under the host's limits). The new password is judged with the
//! account's data from the log-in answer.

use super::login::remember_mailed;
use super::{focus, login_link, outcome, Form};
use crate::api;
use crate::app::{Forced, Shared};
use crate::feedback::{ConfirmField, PasswordField, Status};
use crate::i18n::{t, tp};
use matkhau_core::Context;
use serde_json::json;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`ForcedPage`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Locale and policy.
    pub shared: Shared,
    /// What the log-in answer said.
    pub forced: Forced,
}

/// The forced-change form.
#[function_component(ForcedPage)]
pub fn forced_page(props: &Props) -> Html {
    let l = props.shared.locale;
    let f = props.forced.clone();
    let mailed = f.current.is_none();
    let temporary = use_state(String::new);
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let status = use_state(|| Status::Pending);
    let confirm_error = use_state(|| false);
    let temporary_error = use_state(|| None::<String>);
    let form = Form::use_form();
    let resend = Form::use_form();
    let done = use_state(|| false);
    let context = use_memo(f.context.clone(), |c| {
        Rc::new(c.clone().unwrap_or_else(|| Context {
            username: Some(f.username.clone()),
            ..Context::default()
        }))
    });
    let first = if mailed {
        "temporary-password"
    } else {
        "new-password"
    };
    use_effect_with((), move |_| focus(first));

    let submit = {
        let (form, status, done) = (form.clone(), status.clone(), done.clone());
        let (temporary, new, confirm) = (temporary.clone(), new.clone(), confirm.clone());
        let (confirm_error, temporary_error) = (confirm_error.clone(), temporary_error.clone());
        let f = f.clone();
        let policy_known = props.shared.policy.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if mailed && temporary.is_empty() {
                temporary_error.set(Some(t(l, "required_temporary").to_string()));
                focus("temporary-password");
                return;
            }
            temporary_error.set(None);
            if new.is_empty() || (policy_known && *status != Status::Accepted) {
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
            let current = f.current.clone().unwrap_or_else(|| (*temporary).clone());
            let body = json!({"current_password": current, "new_password": *new, "locale": l});
            let path = format!("/v1/accounts/{}/password", api::segment(&f.username));
            let (done, user) = (done.clone(), f.username.clone());
            let temporary_error = temporary_error.clone();
            form.post(
                l,
                path,
                body,
                move |_| {
                    done.set(true);
                    remember_mailed(None);
                    Some(outcome(true, t(l, "change_done"), login_link(l, &user)))
                },
                move |reply| {
                    if mailed && reply.error_code() == "login.failed" {
                        temporary_error.set(Some(t(l, "temporary_wrong").to_string()));
                        focus("temporary-password");
                    }
                    None
                },
            );
        })
    };
    let on_resend = {
        let resend = resend.clone();
        let f = f.clone();
        Callback::from(move |_: MouseEvent| {
            let to = f
                .mail_to
                .clone()
                .unwrap_or_else(|| t(l, "your_email").to_string());
            resend.post(
                l,
                "/v1/password-reset".into(),
                json!({"login": f.username, "locale": l}),
                move |_| {
                    let text = t(l, "resent").replace("{mail_to}", &to);
                    let extra =
                        html! { <p><a href="/dat-lai-mat-khau">{ t(l, "have_code") }</a></p> };
                    Some(outcome(true, &text, extra))
                },
                |_| None,
            );
        })
    };

    let to = f
        .mail_to
        .clone()
        .unwrap_or_else(|| t(l, "your_email").to_string());
    let reasons: Vec<String> = f
        .reasons
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let text = tp(l, &format!("reason.{r}"), props.shared.policy.as_deref());
            if text == "?" {
                f.messages.get(i).cloned().unwrap_or_else(|| r.clone())
            } else {
                text
            }
        })
        .collect();
    html! {
        <form class="card" method="post" action="/doi-mat-khau" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "forced_title") }</h1>
            <div class="forced" role="alert">
                <ul>
                    { for f.reasons.iter().zip(reasons).map(|(r, text)| html! { <li data-reason={r.clone()}>{ text }</li> }) }
                </ul>
                if mailed {
                    <p class="mailed">{ t(l, if f.sent { "forced_mailed" } else { "forced_queued" }).replace("{mail_to}", &to) }</p>
                }
            </div>
            <input type="hidden" name="username" value={f.username.clone()} />
            <p class="account">{ t(l, "account_label") }{ " " }<strong>{ f.username.clone() }</strong></p>
            if mailed {
                <PasswordField id="temporary-password"
                    label={t(l, "temporary_password").replace("{mail_to}", &to)}
                    value={(*temporary).clone()}
                    on_input={let c = temporary.clone(); Callback::from(move |v| c.set(v))}
                    autocomplete="one-time-code" locale={l}
                    error={(*temporary_error).clone().map(AttrValue::from)} />
                <div class="resend">
                    <button type="button" class="link" onclick={on_resend} disabled={*resend.busy}>{ t(l, "resend") }</button>
                    { (*resend.result).clone().unwrap_or_default() }
                </div>
            }
            <PasswordField id="new-password" label={t(l, "new_password")} value={(*new).clone()}
                on_input={let p = new.clone(); Callback::from(move |v| p.set(v))}
                on_suggest={let c = confirm.clone(); Callback::from(move |v| c.set(v))}
                autocomplete="new-password" locale={l} policy={props.shared.policy.clone()}
                feedback=true context={(*context).clone()} context_ready={f.context.is_some()}
                on_status={let s = status.clone(); Callback::from(move |v| s.set(v))} />
            <ConfirmField password={(*new).clone()} value={(*confirm).clone()} locale={l} error={*confirm_error}
                on_input={let c = confirm.clone(); Callback::from(move |v| c.set(v))} />
            <button type="submit" class="primary" disabled={*form.busy || *done}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_change") } }</button>
            { form.panel() }
        </form>
    }
}
