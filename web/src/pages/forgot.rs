//! "Quên mật khẩu?": asks the host to mail a reset code. The answer is the same whether or not
//! the login exists, and so is what the page says.

use super::{focus, outcome, text_field, Form, TextField};
use crate::app::Shared;
use crate::i18n::t;
use serde_json::json;
use yew::prelude::*;

/// Properties of [`ForgotPage`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Locale and policy.
    pub shared: Shared,
}

/// The reset request form.
#[function_component(ForgotPage)]
pub fn forgot_page(props: &Props) -> Html {
    let l = props.shared.locale;
    let login = use_state(|| crate::prefill::value("login"));
    let error = use_state(|| None::<String>);
    let form = Form::use_form();
    let submit = {
        let (login, error, form) = (login.clone(), error.clone(), form.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if login.trim().is_empty() {
                error.set(Some(t(l, "required_login").to_string()));
                focus("login");
                return;
            }
            error.set(None);
            form.post(
                l,
                "/v1/password-reset".into(),
                json!({"login": login.trim(), "locale": l}),
                move |reply| {
                    let minutes = reply.body["valid_minutes"].as_i64().unwrap_or(30);
                    let text = t(l, "forgot_done").replace("{minutes}", &minutes.to_string());
                    let extra =
                        html! { <p><a href="/dat-lai-mat-khau">{ t(l, "have_code") }</a></p> };
                    Some(outcome(true, &text, extra))
                },
                |_| None,
            );
        })
    };
    html! {
        <form class="card" method="post" action="/quen-mat-khau" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "forgot_title") }</h1>
            <p class="intro">{ t(l, "forgot_intro") }</p>
            { text_field(TextField { id: "login", label: t(l, "login_or_email"), kind: "text",
                autocomplete: "username", required: true, error: (*error).clone() }, &login) }
            <button type="submit" class="primary" disabled={*form.busy}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_forgot") } }</button>
            <p class="aside"><a href="/dat-lai-mat-khau">{ t(l, "have_code") }</a>{ " · " }<a href="/dang-nhap">{ t(l, "go_login") }</a></p>
            { form.panel() }
        </form>
    }
}
