//! One-time codes in the log-in flow: the code step after a right password (`otp_required`,
//! or a recovery code instead), and the enrolment an account must do first (`otp_enrol`): the
//! QR code for the authenticator app, the key to type by hand, the first code that confirms
//! it, then the recovery codes, shown once.

use super::{error_text, focus, login_link, outcome, Form};
use crate::app::{Forced, Shared};
use crate::feedback::text_input;
use crate::i18n::t;
use matkhau_core::Context;
use serde_json::json;
use yew::prelude::*;

/// The code step of a log-in: what the password step answered.
#[derive(Clone, PartialEq, Debug)]
pub struct Step {
    /// The account.
    pub username: String,
    /// The single-use ticket of the `otp_required` answer.
    pub ticket: String,
    /// The password just proven (a must-change answer after the code needs it).
    pub password: String,
}

/// Properties of [`CodePage`].
#[derive(Properties, PartialEq)]
pub struct CodeProps {
    /// Locale and policy.
    pub shared: Shared,
    /// The password step's answer.
    pub step: Step,
    /// Called when the host requires a change after the code.
    pub on_forced: Callback<Forced>,
}

/// The code field: digits from the app, or a recovery code.
fn code_field(
    l: matkhau_core::Locale,
    recovery: bool,
    value: &UseStateHandle<String>,
    error: Option<String>,
) -> Html {
    let v = value.clone();
    let (label, mode, pattern) = if recovery {
        (t(l, "otp_recovery_label"), "text", None)
    } else {
        (t(l, "otp_code"), "numeric", Some("[0-9 ]*"))
    };
    html! {
        <div class="field">
            <label for="code">{ label }</label>
            <input id="code" name="code" type="text" inputmode={mode} pattern={pattern}
                autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required=true
                maxlength={if recovery { "24" } else { "7" }} value={(**value).clone()}
                aria-invalid={if error.is_some() { "true" } else { "false" }}
                aria-describedby={if error.is_some() { "code-error" } else { "code-hint" }}
                oninput={text_input(Callback::from(move |s| v.set(s)))} />
            if let Some(e) = error {
                <p id="code-error" class="field-error">{ e }</p>
            } else {
                <p id="code-hint" class="hint">{ t(l, if recovery { "otp_recovery_hint" } else { "otp_hint" }) }</p>
            }
        </div>
    }
}

/// The log-in answer after every factor: `ok`, or the forced change.
pub fn finished(
    l: matkhau_core::Locale,
    b: &serde_json::Value,
    password: String,
    on_forced: &Callback<Forced>,
) -> Option<Html> {
    let notes = super::strings(&b["messages"]);
    if b["status"] == "must_change" {
        let mailed = b["temporary_password_sent"].is_boolean();
        let forced = Forced {
            username: b["username"].as_str().unwrap_or_default().to_string(),
            current: (!mailed).then_some(password),
            reasons: super::strings(&b["reasons"]),
            messages: notes,
            context: serde_json::from_value::<Context>(b["context"].clone()).ok(),
            mail_to: b["mail_to"].as_str().map(String::from),
            sent: b["temporary_password_sent"] == true,
        };
        super::login::remember_mailed(mailed.then_some(&forced));
        on_forced.emit(forced);
        None
    } else {
        super::login::remember_mailed(None);
        let extra =
            html! { <ul>{ for notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul> };
        Some(outcome(true, t(l, "login_done"), extra))
    }
}

/// The code step.
#[function_component(CodePage)]
pub fn code_page(props: &CodeProps) -> Html {
    let l = props.shared.locale;
    let code = use_state(String::new);
    let recovery = use_state(|| false);
    let error = use_state(|| None::<String>);
    let form = Form::use_form();
    use_effect_with((), |_| focus("code"));
    let submit = {
        let (code, error, form, step) = (
            code.clone(),
            error.clone(),
            form.clone(),
            props.step.clone(),
        );
        let on_forced = props.on_forced.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if code.trim().is_empty() {
                error.set(Some(t(l, "required_otp").to_string()));
                focus("code");
                return;
            }
            error.set(None);
            let (password, on_forced) = (step.password.clone(), on_forced.clone());
            form.post(
                l,
                "/v1/login/otp".into(),
                json!({"ticket": step.ticket, "code": code.trim(), "locale": l}),
                move |reply| finished(l, &reply.body, password, &on_forced),
                move |reply| {
                    (reply.error_code() == "login.ticket_invalid").then(|| {
                        let extra = html! { <p>{ login_link(l, "") }</p> };
                        outcome(false, &error_text(l, reply), extra)
                    })
                },
            );
        })
    };
    let toggle = {
        let (recovery, code) = (recovery.clone(), code.clone());
        Callback::from(move |_: MouseEvent| {
            recovery.set(!*recovery);
            code.set(String::new());
            focus("code");
        })
    };
    html! {
        <form class="card" method="post" action="/dang-nhap" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "otp_title") }</h1>
            <p class="intro">{ t(l, "otp_intro").replace("{username}", &props.step.username) }</p>
            { code_field(l, *recovery, &code, (*error).clone()) }
            <button type="submit" class="primary" disabled={*form.busy}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_otp") } }</button>
            <p class="aside">
                <button type="button" class="link" onclick={toggle}>{ t(l, if *recovery { "otp_use_app" } else { "otp_use_recovery" }) }</button>
            </p>
            { form.panel() }
        </form>
    }
}

/// Properties of [`EnrolPage`].
#[derive(Properties, PartialEq)]
pub struct EnrolProps {
    /// Locale and policy.
    pub shared: Shared,
    /// The account.
    pub username: String,
    /// Its password, just proven at log-in.
    pub password: String,
}

/// What the enrolment shows.
#[derive(Clone, PartialEq)]
enum Stage {
    /// Asking the host for a secret.
    Starting,
    /// The secret's QR code and key, waiting for the first code.
    Scan { svg: String, secret: String },
    /// Confirmed: the recovery codes.
    Done { codes: Vec<String> },
    /// The host refused (already enrolled, locked…).
    Failed(String),
}

/// The key in groups of four, easier to type.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Enrolment of an authenticator app.
#[function_component(EnrolPage)]
pub fn enrol_page(props: &EnrolProps) -> Html {
    let l = props.shared.locale;
    let stage = use_state(|| Stage::Starting);
    let code = use_state(String::new);
    let error = use_state(|| None::<String>);
    let form = Form::use_form();
    {
        let (stage, username, password) = (
            stage.clone(),
            props.username.clone(),
            props.password.clone(),
        );
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                let path = format!("/v1/accounts/{}/otp", crate::api::segment(&username));
                let reply =
                    crate::api::post(&path, &json!({"password": password, "locale": l})).await;
                stage.set(match reply {
                    Some(r) if r.ok() => Stage::Scan {
                        svg: r.body["qr_svg"].as_str().unwrap_or_default().to_string(),
                        secret: r.body["secret"].as_str().unwrap_or_default().to_string(),
                    },
                    Some(r) => Stage::Failed(error_text(l, &r)),
                    None => Stage::Failed(t(l, "network").to_string()),
                });
            });
        });
    }
    // Focus on the code field once the QR code is shown (it is not there before).
    use_effect_with(matches!(*stage, Stage::Scan { .. }), |scan| {
        if *scan {
            focus("code");
        }
    });
    let submit = {
        let (code, error, form, stage) = (code.clone(), error.clone(), form.clone(), stage.clone());
        let (username, password) = (props.username.clone(), props.password.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if code.trim().is_empty() {
                error.set(Some(t(l, "required_otp").to_string()));
                focus("code");
                return;
            }
            error.set(None);
            let stage = stage.clone();
            let path = format!(
                "/v1/accounts/{}/otp/confirm",
                crate::api::segment(&username)
            );
            form.post(
                l,
                path,
                json!({"password": password, "code": code.trim(), "locale": l}),
                move |reply| {
                    let codes = super::strings(&reply.body["recovery_codes"]);
                    stage.set(Stage::Done { codes });
                    None
                },
                |_| None,
            );
        })
    };
    let body = match &*stage {
        Stage::Starting => html! { <p role="status">{ t(l, "enrol_loading") }</p> },
        Stage::Failed(text) => outcome(
            false,
            text,
            html! { <p>{ login_link(l, &props.username) }</p> },
        ),
        Stage::Scan { svg, secret } => html! {
            <>
                <ol class="steps">
                    <li>{ t(l, "enrol_step_app") }</li>
                    <li>{ t(l, "enrol_step_scan") }</li>
                    <li>{ t(l, "enrol_step_code") }</li>
                </ol>
                <figure class="qr" role="img" aria-label={t(l, "enrol_qr_label")}>
                    { Html::from_html_unchecked(AttrValue::from(svg.clone())) }
                </figure>
                <p class="hint">{ t(l, "enrol_key") }<br /><code class="secret" translate="no">{ grouped(secret) }</code></p>
                { code_field(l, false, &code, (*error).clone()) }
                <button type="submit" class="primary" disabled={*form.busy}>{ if *form.busy { t(l, "sending") } else { t(l, "submit_enrol") } }</button>
            </>
        },
        Stage::Done { codes } => html! {
            <div class="outcome ok" role="status">
                <p>{ t(l, "enrol_done") }</p>
                <p>{ t(l, "recovery_intro") }</p>
                <ul class="recovery" translate="no">{ for codes.iter().map(|c| html! { <li><code>{ c.clone() }</code></li> }) }</ul>
                <p>{ t(l, "enrol_relogin") }{ " " }{ login_link(l, &props.username) }</p>
            </div>
        },
    };
    html! {
        <form class="card" method="post" action="/dang-nhap" onsubmit={submit} novalidate=true>
            <h1>{ t(l, "enrol_title") }</h1>
            <p class="intro">{ t(l, "enrol_intro") }</p>
            { body }
            { form.panel() }
        </form>
    }
}
