//! Sign up: the user's own data feeds the password check, so "Hung@1990" is refused for Hùng.

use super::{outcome, text_of};
use crate::api;
use crate::app::{error_text, Shared};
use crate::feedback::{ConfirmField, PasswordField, Status};
use crate::i18n::t;
use matkhau_core::{Context, Locale};
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
    let busy = use_state(|| false);
    let result = use_state(|| None::<Html>);

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
        let (busy, result, status) = (busy.clone(), result.clone(), status.clone());
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
            if *busy {
                return;
            }
            if (policy_known && *status != Status::Accepted) || *password != *confirm {
                result.set(Some(outcome(false, t(l, "fix_first"), Html::default())));
                focus("password");
                return;
            }
            busy.set(true);
            let body = json!({
                "username": *username,
                "email": *email,
                "kind": *kind,
                "context": &*context,
                "password": *password,
                "locale": if l == Locale::En { "en" } else { "vi" },
            });
            let (busy, result, user) = (busy.clone(), result.clone(), (*username).clone());
            yew::platform::spawn_local(async move {
                let reply = api::post("/v1/accounts", &body).await;
                busy.set(false);
                result.set(Some(match reply {
                    None => outcome(false, t(l, "network"), Html::default()),
                    Some(r) if r.ok() => {
                        let href = format!("/dang-nhap?u={}", api::segment(&user));
                        outcome(
                            true,
                            t(l, "signup_done"),
                            html! { <a href={href}>{ t(l, "go_login") }</a> },
                        )
                    }
                    Some(r) => outcome(false, &error_text(l, &r), problems_of(&r)),
                }));
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
                    oninput={Callback::from(move |e| s.set(text_of(e)))} />
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
            <p class="intro">{ t(l, "signup_intro") }</p>
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
            <button type="submit" class="primary" disabled={*busy}>{ if *busy { t(l, "sending") } else { t(l, "submit_signup") } }</button>
            { (*result).clone().unwrap_or_default() }
        </form>
    }
}

/// The problems of a verdict the host attached to a `password.rejected` error.
pub fn problems_of(reply: &api::Reply) -> Html {
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
