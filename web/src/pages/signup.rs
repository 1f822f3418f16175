//! Sign up: the user's own data feeds the password check, so "Hung@1990" is refused for Hùng.
//! Every field is checked before sending, all at once, each error under its field with the
//! rule it breaks; focus goes to the first.

use super::{
    focus, login_link, outcome, plausible_email, text_field, valid_username, Form, TextField,
};
use crate::app::Shared;
use crate::feedback::{ConfirmField, PasswordField, Status};
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

/// Errors per field after a submit.
#[derive(Clone, Default, PartialEq)]
struct Errors {
    full_name: Option<String>,
    username: Option<String>,
    email: Option<String>,
    password: Option<String>,
    confirm: bool,
}

impl Errors {
    fn first(&self) -> Option<&'static str> {
        if self.full_name.is_some() {
            Some("full-name")
        } else if self.username.is_some() {
            Some("username")
        } else if self.email.is_some() {
            Some("email")
        } else if self.password.is_some() {
            Some("password")
        } else if self.confirm {
            Some("confirm")
        } else {
            None
        }
    }

    fn count(&self) -> usize {
        [
            self.full_name.is_some(),
            self.username.is_some(),
            self.email.is_some(),
            self.password.is_some(),
            self.confirm,
        ]
        .iter()
        .filter(|e| **e)
        .count()
    }
}

/// The registration form (citizens and organisations).
#[function_component(SignupPage)]
pub fn signup_page(props: &Props) -> Html {
    let l = props.shared.locale;
    let v = crate::prefill::value;
    let kind = use_state(|| {
        let k = v("kind");
        if k.is_empty() {
            "citizen".to_string()
        } else {
            k
        }
    });
    let full_name = use_state(|| v("full-name"));
    let username = use_state(|| v("username"));
    let email = use_state(|| v("email"));
    let phone = use_state(|| v("phone"));
    let dob = use_state(|| v("dob"));
    let password = use_state(|| v("password"));
    let confirm = use_state(|| v("confirm"));
    let status = use_state(|| Status::Pending);
    let errors = use_state(Errors::default);
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
        let (form, status, errors) = (form.clone(), status.clone(), errors.clone());
        let (password, confirm, kind, username, email, full_name) = (
            password.clone(),
            confirm.clone(),
            kind.clone(),
            username.clone(),
            email.clone(),
            full_name.clone(),
        );
        let context = context.clone();
        let policy_known = props.shared.policy.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let found = Errors {
                full_name: full_name
                    .trim()
                    .is_empty()
                    .then(|| t(l, "required_full_name").to_string()),
                username: if username.trim().is_empty() {
                    Some(t(l, "required_username").to_string())
                } else if !valid_username(username.trim()) {
                    Some(t(l, "username_rule").to_string())
                } else {
                    None
                },
                email: if email.trim().is_empty() {
                    Some(t(l, "required_email").to_string())
                } else if !plausible_email(&email) {
                    Some(t(l, "email_rule").to_string())
                } else {
                    None
                },
                password: if password.is_empty() {
                    Some(t(l, "required_password").to_string())
                } else if policy_known && *status != Status::Accepted {
                    Some(t(l, "password_not_ok").to_string())
                } else {
                    None
                },
                confirm: *password != *confirm,
            };
            if let Some(first) = found.first() {
                let n = found.count();
                errors.set(found);
                form.refuse(&t(l, "fix_fields").replace("{n}", &n.to_string()));
                focus(first);
                return;
            }
            errors.set(Errors::default());
            let body = json!({
                "username": username.trim(),
                "email": email.trim(),
                "kind": *kind,
                "context": &*context,
                "password": *password,
                "locale": l,
            });
            let user = username.trim().to_string();
            form.post(
                l,
                "/v1/accounts".into(),
                body,
                move |_| Some(outcome(true, t(l, "signup_done"), login_link(l, &user))),
                |_| None,
            );
        })
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
    let e = (*errors).clone();
    html! {
        <form class="card" method="post" action="/dang-ky" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "signup") }</h1>
            <p class="intro">{ tp(l, "signup_intro", props.shared.policy.as_deref()) }</p>
            <div class="field">
                <label for="kind">{ t(l, "kind") }</label>
                <select id="kind" name="kind" onchange={on_kind}>
                    <option value="citizen" selected={*kind == "citizen"}>{ t(l, "citizen") }</option>
                    <option value="organisation" selected={*kind == "organisation"}>{ t(l, "organisation") }</option>
                </select>
            </div>
            { text_field(TextField { id: "full-name", label: t(l, "full_name"), kind: "text", autocomplete: "name", required: true, error: e.full_name.clone() }, &full_name) }
            { text_field(TextField { id: "username", label: t(l, "username"), kind: "text", autocomplete: "username", required: true, error: e.username.clone() }, &username) }
            <p class="hint" id="username-hint">{ t(l, "username_rule") }</p>
            { text_field(TextField { id: "email", label: t(l, "email"), kind: "email", autocomplete: "email", required: true, error: e.email.clone() }, &email) }
            { text_field(TextField { id: "phone", label: t(l, "phone"), kind: "tel", autocomplete: "tel", required: false, error: None }, &phone) }
            { text_field(TextField { id: "dob", label: t(l, "dob"), kind: "date", autocomplete: "bday", required: false, error: None }, &dob) }
            <PasswordField id="password" label={t(l, "password")} value={(*password).clone()}
                on_input={let p = password.clone(); Callback::from(move |v| p.set(v))}
                on_suggest={let c = confirm.clone(); Callback::from(move |v| c.set(v))}
                autocomplete="new-password" locale={l} policy={props.shared.policy.clone()}
                feedback=true context={Rc::clone(&context)} error={e.password.clone().map(AttrValue::from)}
                on_status={let s = status.clone(); Callback::from(move |v| s.set(v))} />
            <ConfirmField password={(*password).clone()} value={(*confirm).clone()} locale={l} error={e.confirm}
                on_input={let c = confirm.clone(); Callback::from(move |v| c.set(v))} />
            <button type="submit" class="primary" disabled={*form.busy}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_signup") } }</button>
            { form.panel() }
        </form>
    }
}
