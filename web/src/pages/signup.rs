//! Sign up: the user's own data feeds the password check, so "Hung@1990" is refused for Hùng.

use super::{focus, login_link, outcome, Form};
use crate::app::Shared;
use crate::feedback::{text_input, ConfirmField, PasswordField, Status};
use crate::i18n::{t, tp};
use matkhau_core::Context;
use serde_json::json;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`SignupPage`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Locale and policy.
    pub shared: Shared,
}

/// The registration form (citizens and organisations).
#[function_component(SignupPage)]
pub fn signup_page(props: &Props) -> Html {
    let l = props.shared.locale;
    let kind = use_state(|| "citizen".to_string());
    let full_name = use_state(String::new);
    let username = use_state(String::new);
    let email = use_state(String::new);
    let phone = use_state(String::new);
    let dob = use_state(String::new);
    let password = use_state(String::new);
    let confirm = use_state(String::new);
    let status = use_state(|| Status::Pending);
    let form = Form::use_form();

    let context = {
        let deps = (
            (*full_name).clone(),
            (*username).clone(),
            (*email).clone(),
            (*phone).clone(),
            (*dob).clone(),
        );
        use_memo(deps, |(name, user, mail, phone, dob)| {
            let some = |s: &String| (!s.trim().is_empty()).then(|| s.trim().to_string());
            Context {
                full_name: some(name),
                username: some(user),
                email: some(mail),
                phone: some(phone),
                date_of_birth: some(dob),
                ..Context::default()
            }
        })
    };

    let submit = {
        let (form, status) = (form.clone(), status.clone());
        let (password, confirm, kind, username, email) = (
            password.clone(),
            confirm.clone(),
            kind.clone(),
            username.clone(),
            email.clone(),
        );
        let context = context.clone();
        let policy_known = props.shared.policy.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if (policy_known && *status != Status::Accepted) || *password != *confirm {
                form.refuse(t(l, "fix_first"));
                focus("password");
                return;
            }
            let body = json!({
                "username": *username,
                "email": *email,
                "kind": *kind,
                "context": &*context,
                "password": *password,
                "locale": l,
            });
            let user = (*username).clone();
            form.post(l, "/v1/accounts".into(), body, move |_| {
                Some(outcome(true, t(l, "signup_done"), login_link(l, &user)))
            });
        })
    };

    let text = |id: &'static str,
                key: &'static str,
                state: &UseStateHandle<String>,
                kind: &'static str,
                auto: &'static str| {
        let s = state.clone();
        html! {
            <div class="field">
                <label for={id}>{ t(l, key) }</label>
                <input id={id} type={kind} value={(**state).clone()} autocomplete={auto}
                    required={!matches!(key, "phone" | "dob")}
                    oninput={text_input(Callback::from(move |v| s.set(v)))} />
            </div>
        }
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            kind.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };

    html! {
        <form class="card" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "signup") }</h1>
            <p class="intro">{ tp(l, "signup_intro", props.shared.policy.as_deref()) }</p>
            <div class="field">
                <label for="kind">{ t(l, "kind") }</label>
                <select id="kind" onchange={on_kind}>
                    <option value="citizen" selected={*kind == "citizen"}>{ t(l, "citizen") }</option>
                    <option value="organisation" selected={*kind == "organisation"}>{ t(l, "organisation") }</option>
                </select>
            </div>
            { text("full-name", "full_name", &full_name, "text", "name") }
            { text("username", "username", &username, "text", "username") }
            { text("email", "email", &email, "email", "email") }
            { text("phone", "phone", &phone, "tel", "tel") }
            { text("dob", "dob", &dob, "date", "bday") }
            <PasswordField id="password" label={t(l, "password")} value={(*password).clone()}
                on_input={let p = password.clone(); Callback::from(move |v| p.set(v))}
                autocomplete="new-password" locale={l} policy={props.shared.policy.clone()}
                feedback=true context={Rc::clone(&context)}
                on_status={let s = status.clone(); Callback::from(move |v| s.set(v))} />
            <ConfirmField password={(*password).clone()} value={(*confirm).clone()} locale={l}
                on_input={let c = confirm.clone(); Callback::from(move |v| c.set(v))} />
            <button type="submit" class="primary" disabled={*form.busy}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_signup") } }</button>
            { (*form.result).clone().unwrap_or_default() }
        </form>
    }
}
