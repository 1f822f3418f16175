//! The password field with live feedback: the verdict and what fails right under the field
//! (where a phone's keyboard leaves it visible), then the rule checklist in a fixed order, at
//! most three suggestions; show/hide, a Caps Lock warning, and "suggest a strong password"
//! (a passphrase by default, random symbols as the other choice) filled into both fields, with
//! copy. Everything comes from matkhau-core compiled into the page; the host checks again on
//! submit and its answer wins.

use crate::breach::{self, Lookup};
use crate::i18n::t;
use gloo::timers::callback::Timeout;
use matkhau_core::{messages, Check, Context, Exposure, Locale, Policy, Verdict};
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds between the last keystroke and the full evaluation; the checklist of length and
/// character classes is updated on every keystroke without waiting.
const SETTLE_MS: u32 = 40;

/// Milliseconds of pause before a breach lookup (only for a password the rest of the policy
/// accepts), so the host sees one range request per password chosen, not one per keystroke.
const LOOKUP_SETTLE_MS: u32 = 600;

/// The checks `core::checklist` gives on every keystroke.
const QUICK: [&str; 6] = [
    "length.min",
    "length.max",
    "class.upper",
    "class.lower",
    "class.digit",
    "class.special",
];

/// An `input` listener that hands the field's new value to `cb`.
pub fn text_input(cb: Callback<String>) -> Callback<InputEvent> {
    Callback::from(move |e: InputEvent| {
        cb.emit(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        )
    })
}

/// What the page needs to know about the password being typed.
#[derive(Clone, PartialEq, Debug)]
pub enum Status {
    /// Nothing typed, the full verdict is not in yet, or the account's data is not known yet.
    Pending,
    /// The latest verdict accepts it.
    Accepted,
    /// The latest verdict rejects it.
    Rejected,
}

/// Properties of [`PasswordField`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The input's id (labels point at it) and form field name.
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The current value.
    pub value: String,
    /// Called with the new value on every input.
    pub on_input: Callback<String>,
    /// `new-password`, `current-password` or `one-time-code`.
    pub autocomplete: AttrValue,
    /// Message language.
    pub locale: Locale,
    /// The host's policy; `None` while it loads. Feedback is shown only when `feedback` is set.
    #[prop_or_default]
    pub policy: Option<Rc<Policy>>,
    /// Show the verdict, checklist and advice (new passwords).
    #[prop_or_default]
    pub feedback: bool,
    /// The user's data, so passwords built from it are refused.
    #[prop_or_default]
    pub context: Rc<Context>,
    /// Whether `context` is the account's own (a change page knows it only once the current
    /// password is proven); until then an acceptable password is not called accepted.
    #[prop_or(true)]
    pub context_ready: bool,
    /// Told the status after every full evaluation.
    #[prop_or_default]
    pub on_status: Callback<Status>,
    /// Told a suggested password (the page puts it in the confirmation too).
    #[prop_or_default]
    pub on_suggest: Callback<String>,
    /// An error to show under the field (`aria-invalid`).
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A password input with live feedback.
#[function_component(PasswordField)]
pub fn password_field(props: &Props) -> Html {
    let shown = use_state(|| false);
    let caps = use_state(|| false);
    // The latest verdict and the value it is for: kept on screen while the next one is computed,
    // so the block under the field does not collapse and grow back on every keystroke.
    let verdict = use_state(|| None::<(String, Rc<Context>, Rc<Verdict>)>);
    let announce = use_state(String::new);
    let suggested = use_state(|| None::<String>);
    let copied = use_state(|| false);
    // The latest breach lookup's answer, for the value it was made for.
    let exposure = use_state(|| None::<(String, Exposure)>);
    // Cleared when the host has no breach corpus.
    let screening = use_state(breach::available);
    let locale = props.locale;
    let regulation = use_memo((), |_| Rc::new(Policy::default()));
    // The policy's checks in the verdict's order; the regulation's until the host's arrives.
    let rules = use_memo(props.policy.clone(), |policy| {
        policy
            .as_deref()
            .map(matkhau_core::checks_of)
            .unwrap_or_else(|| matkhau_core::checks_of(&Policy::default()))
    });

    {
        // The full verdict, once typing settles. A newer keystroke drops the pending timer.
        let verdict = verdict.clone();
        let announce = announce.clone();
        let on_status = props.on_status.clone();
        let exposure_state = exposure.clone();
        let screening_state = screening.clone();
        let deps = (
            props.value.clone(),
            props.context.clone(),
            props.policy.clone(),
            locale,
            props.feedback,
            props.context_ready,
            (*exposure).clone(),
            *screening && breach::available(),
        );
        use_effect_with(
            deps,
            move |(value, context, policy, locale, feedback, ready, found, screen)| {
                let timer = match (policy, *feedback) {
                    (Some(policy), true) if !value.is_empty() => {
                        let (value, context, policy, locale, ready) = (
                            value.clone(),
                            context.clone(),
                            policy.clone(),
                            *locale,
                            *ready,
                        );
                        let known = found
                            .as_ref()
                            .filter(|(for_value, _)| *for_value == value)
                            .map(|(_, e)| *e);
                        let look_up = known.is_none() && *screen;
                        // Set by the verdict when it accepts everything but the breach rule.
                        let accepted = Rc::new(std::cell::Cell::new(false));
                        on_status.emit(Status::Pending);
                        // The breach lookup waits for typing to pause longer and for an otherwise
                        // acceptable password: a lookup per keystroke would show the host the
                        // prefixes of "p", "pa", "pas", … and so the password.
                        let lookup = look_up.then(|| {
                            let (value, accepted) = (value.clone(), accepted.clone());
                            let (exposure, screening) = (exposure_state, screening_state);
                            Timeout::new(LOOKUP_SETTLE_MS, move || {
                                if !accepted.get() {
                                    return;
                                }
                                // A round trip: the effect runs anew when the answer lands.
                                yew::platform::spawn_local(async move {
                                    match breach::lookup(&value).await {
                                        Lookup::Found(e) => exposure.set(Some((value, e))),
                                        Lookup::Unavailable => screening.set(false),
                                        Lookup::Failed => {}
                                    }
                                });
                            })
                        });
                        let settle = Timeout::new(SETTLE_MS, move || {
                            let v = matkhau_core::evaluate_exposed(
                                &value,
                                &context,
                                &policy,
                                locale,
                                known.as_ref(),
                            );
                            accepted.set(v.accepted);
                            let brief = matkhau_core::brief(&v);
                            let text = match (v.accepted, ready) {
                                (true, true) => t(locale, "accepted").to_string(),
                                (true, false) => t(locale, "needs_context").to_string(),
                                (false, _) => {
                                    let first = brief.problems.first().map(|p| p.message.as_str());
                                    format!("{} {}", t(locale, "rejected"), first.unwrap_or(""))
                                }
                            };
                            announce.set(text);
                            on_status.emit(match (v.accepted, ready) {
                                (true, true) => Status::Accepted,
                                (true, false) => Status::Pending,
                                (false, _) => Status::Rejected,
                            });
                            verdict.set(Some((value, context, Rc::new(v))));
                        });
                        Some((settle, lookup))
                    }
                    _ => {
                        on_status.emit(Status::Pending);
                        if value.is_empty() {
                            verdict.set(None);
                            announce.set(String::new());
                        }
                        None
                    }
                };
                move || drop(timer)
            },
        );
    }

    let on_input = {
        let cb = props.on_input.clone();
        let suggested = suggested.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            if suggested.as_deref().is_some_and(|s| s != value) {
                suggested.set(None);
            }
            cb.emit(value)
        })
    };
    let on_key = {
        let caps = caps.clone();
        Callback::from(move |e: KeyboardEvent| {
            let on = e.get_modifier_state("CapsLock");
            if on != *caps {
                caps.set(on);
            }
        })
    };
    let toggle = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(!*shown))
    };
    let suggest = |strict: bool| {
        let (cb, also) = (props.on_input.clone(), props.on_suggest.clone());
        let policy = props.policy.clone();
        let context = props.context.clone();
        let (shown, announce, suggested, copied) = (
            shown.clone(),
            announce.clone(),
            suggested.clone(),
            copied.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (Some(policy), Some(seed)) = (policy.as_ref(), random_seed()) else {
                return;
            };
            let password = if strict {
                matkhau_core::generate(policy, seed)
            } else {
                matkhau_core::passphrase(policy, &context, seed)
            };
            shown.set(true);
            copied.set(false);
            cb.emit(password.clone());
            also.emit(password.clone());
            suggested.set(Some(password));
            announce.set(t(locale, "suggested").to_string());
        })
    };
    let copy = {
        let (suggested, copied) = (suggested.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(p) = suggested.as_deref() {
                if copy_text(p) {
                    copied.set(true);
                }
            }
        })
    };

    let id = props.id.to_string();
    let verdict_id = format!("{id}-verdict");
    let error_id = format!("{id}-error");
    let caps_id = format!("{id}-caps");
    let mut described: Vec<String> = Vec::new();
    if props.error.is_some() {
        described.push(error_id.clone());
    }
    if props.feedback {
        described.push(verdict_id.clone());
    }
    if *caps {
        described.push(caps_id.clone());
    }
    let show_name = if *shown {
        t(locale, "hide_label")
    } else {
        t(locale, "show_label")
    };
    let input = html! {
        <div class="password-row">
            <input id={props.id.clone()} name={props.id.clone()} type={if *shown { "text" } else { "password" }}
                value={props.value.clone()} oninput={on_input} onkeydown={on_key.clone()} onkeyup={on_key}
                autocomplete={props.autocomplete.clone()} spellcheck="false"
                autocapitalize="none" required=true
                aria-invalid={if props.error.is_some() { "true" } else { "false" }}
                aria-describedby={(!described.is_empty()).then(|| described.join(" "))} />
            <button type="button" class="toggle" onclick={toggle}
                aria-controls={props.id.clone()} aria-label={show_name} title={show_name}>
                { if *shown { t(locale, "hide") } else { t(locale, "show") } }
            </button>
        </div>
    };
    let notes = html! {
        <>
            if *caps {
                <p id={caps_id.clone()} class="note warn" role="status">{ t(locale, "caps") }</p>
            }
            if let Some(e) = &props.error {
                <p id={error_id.clone()} class="field-error">{ e.clone() }</p>
            }
        </>
    };
    if !props.feedback {
        return html! {
            <div class="field">
                <label for={props.id.clone()}>{ props.label.clone() }</label>
                { input }
                { notes }
            </div>
        };
    }

    let live = props.policy.is_some();
    let policy: Rc<Policy> = props
        .policy
        .clone()
        .unwrap_or_else(|| (*regulation).clone());
    // The verdict on screen: the latest one, kept (as stale) while the next is computed.
    let latest =
        verdict
            .as_ref()
            .filter(|_| !props.value.is_empty())
            .map(|(for_value, for_context, v)| {
                let fresh = for_value == &props.value && Rc::ptr_eq(for_context, &props.context);
                (fresh, v.clone())
            });
    let fresh = latest.as_ref().is_some_and(|(fresh, _)| *fresh);
    let current = latest.as_ref().map(|(_, v)| v.as_ref());
    let state = match (&latest, props.value.is_empty()) {
        (_, true) => "empty",
        (Some((true, v)), _) if v.accepted && props.context_ready => "accepted",
        (Some((true, v)), _) if v.accepted => "pending",
        (Some((true, _)), _) => "rejected",
        _ => "pending",
    };
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            { input }
            { notes }
            <div id={format!("{id}-feedback")} class="feedback" data-state={state} data-fresh={if fresh { "true" } else { "false" }}>
                <div id={verdict_id.clone()} class="verdict-block">
                    { headline(current, props.value.is_empty(), live, props.context_ready, locale) }
                    { problems(current) }
                </div>
                { meter(current, locale) }
                { checklist(&props.value, &policy, &rules, current, live && *screening && breach::available(), locale) }
                { advice(current, locale) }
                <p class="visually-hidden" aria-live="polite" aria-atomic="true">{ (*announce).clone() }</p>
            </div>
            <div class="suggest-row">
                <button type="button" class="suggest" onclick={suggest(false)} disabled={!live}>{ t(locale, "suggest") }</button>
                <button type="button" class="suggest-alt" onclick={suggest(true)} disabled={!live}>{ t(locale, "suggest_symbols") }</button>
            </div>
            if let Some(p) = suggested.as_ref() {
                <div class="suggestion">
                    <p>{ t(locale, "suggested_label") }{ " " }<code class="suggested">{ p.clone() }</code></p>
                    <button type="button" class="copy" onclick={copy}>{ if *copied { t(locale, "copied") } else { t(locale, "copy") } }</button>
                    <p class="hint">{ t(locale, "suggested_hint") }</p>
                </div>
            }
        </div>
    }
}

/// The one-line verdict under the field.
fn headline(
    verdict: Option<&Verdict>,
    empty: bool,
    live: bool,
    context_ready: bool,
    locale: Locale,
) -> Html {
    let (class, text) = match verdict {
        _ if !live => ("verdict todo", t(locale, "loading")),
        _ if empty => ("verdict todo", t(locale, "verdict_empty")),
        None => ("verdict todo", t(locale, "checking")),
        Some(v) if v.accepted && context_ready => ("verdict ok", t(locale, "accepted")),
        Some(v) if v.accepted => ("verdict todo", t(locale, "needs_context")),
        Some(_) => ("verdict bad", t(locale, "rejected")),
    };
    html! { <p class={class}>{ text }</p> }
}

/// What is wrong, one line per cause.
fn problems(verdict: Option<&Verdict>) -> Html {
    let Some(v) = verdict.filter(|v| !v.accepted) else {
        return Html::default();
    };
    let brief = matkhau_core::brief(v);
    html! {
        <ul class="problems">
            { for brief.problems.iter().map(|p| html! { <li data-code={p.code.clone()}>{ p.message.clone() }</li> }) }
        </ul>
    }
}

/// The rules in the policy's order, ticked live: length and classes from `core::checklist` on
/// every keystroke, the others from the latest verdict (kept while the next is computed).
/// With `screening`, the breach rule is pending until a verdict has the lookup's answer.
fn checklist(
    value: &str,
    policy: &Policy,
    rules: &[String],
    verdict: Option<&Verdict>,
    screening: bool,
    locale: Locale,
) -> Html {
    let quick: Vec<Check> = if value.is_empty() {
        Vec::new()
    } else {
        matkhau_core::checklist(value, policy)
    };
    let mut codes: Vec<String> = rules.to_vec();
    if screening && !codes.iter().any(|c| c == "breach") {
        codes.push("breach".to_string());
    }
    let state_of = |code: &str| -> Option<bool> {
        if value.is_empty() {
            return None;
        }
        if QUICK.contains(&code) {
            return quick.iter().find(|c| c.code == code).map(|c| c.ok);
        }
        verdict.and_then(|v| v.checks.iter().find(|c| c.code == code).map(|c| c.ok))
    };
    // The upper bound and invisible characters are listed only when they fail.
    let items: Vec<(String, Option<bool>)> = codes
        .into_iter()
        .map(|code| {
            let ok = state_of(&code);
            (code, ok)
        })
        .filter(|(code, ok)| {
            !matches!(code.as_str(), "length.max" | "chars.invisible") || *ok == Some(false)
        })
        .collect();
    html! {
        <section class="rules" aria-label={t(locale, "rules")}>
            <ul>
            { for items.into_iter().map(|(code, ok)| {
                let state = match ok {
                    None => "todo",
                    Some(true) => "ok",
                    Some(false) => "bad",
                };
                let label = messages::label(&code, locale, policy).unwrap_or_default();
                html! {
                    <li class={state} data-code={code}>
                        <span class="mark" aria-hidden="true">{ match state { "ok" => "✓", "bad" => "✗", _ => "•" } }</span>
                        { label }
                        <span class="visually-hidden">{ format!(" ({})", match state { "ok" => t(locale, "met"), "bad" => t(locale, "not_met"), _ => t(locale, "unchecked") }) }</span>
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}

fn meter(verdict: Option<&Verdict>, locale: Locale) -> Html {
    let score = verdict.map(|v| v.score).unwrap_or(0);
    let word = match score {
        0 => "score0",
        1 => "score1",
        2 => "score2",
        3 => "score3",
        _ => "score4",
    };
    let word = if verdict.is_some() {
        t(locale, word)
    } else {
        "—"
    };
    html! {
        <div class="strength">
            <span class="strength-label">{ t(locale, "strength") }{ ": " }<strong>{ word }</strong></span>
            <div class="meter" role="meter" aria-label={t(locale, "strength")}
                aria-valuemin="0" aria-valuemax="4" aria-valuenow={score.to_string()}
                aria-valuetext={word}>
                <span class={classes!("bar", verdict.map(|_| format!("s{score}")))}></span>
            </div>
        </div>
    }
}

/// At most three suggestions, without repeats.
fn advice(verdict: Option<&Verdict>, locale: Locale) -> Html {
    let Some(v) = verdict.filter(|v| !v.accepted) else {
        return Html::default();
    };
    let brief = matkhau_core::brief(v);
    if brief.suggestions.is_empty() {
        return Html::default();
    }
    html! {
        <div class="advice">
            <p class="advice-title">{ t(locale, "advice") }</p>
            <ul class="suggestions">
                { for brief.suggestions.iter().map(|s| html! { <li data-code={s.code.clone()}>{ s.message.clone() }</li> }) }
            </ul>
        </div>
    }
}

/// 32 bytes from the browser's cryptographic generator.
fn random_seed() -> Option<[u8; 32]> {
    let mut seed = [0u8; 32];
    web_sys::window()?
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut seed)
        .ok()?;
    Some(seed)
}

/// Puts `text` on the clipboard (asynchronously); `false` when the browser has no clipboard.
fn copy_text(text: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
        return true;
    }
    let _ = text;
    false
}

/// The confirmation field: matches or not, announced politely.
#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    /// The password it must equal.
    pub password: String,
    /// The confirmation typed.
    pub value: String,
    /// Called on input.
    pub on_input: Callback<String>,
    /// Message language.
    pub locale: Locale,
    /// Set after a submit with a confirmation that does not match.
    #[prop_or_default]
    pub error: bool,
}

/// "Repeat the password", with a live match message.
#[function_component(ConfirmField)]
pub fn confirm_field(props: &ConfirmProps) -> Html {
    let locale = props.locale;
    let on_input = text_input(props.on_input.clone());
    let state = if props.value.is_empty() {
        props.error.then_some(false)
    } else {
        Some(props.value == props.password)
    };
    html! {
        <div class="field">
            <label for="confirm">{ t(locale, "confirm") }</label>
            <input id="confirm" name="confirm" type="password" value={props.value.clone()} oninput={on_input}
                autocomplete="new-password" required=true aria-describedby="confirm-note"
                aria-invalid={if state == Some(false) { "true" } else { "false" }} />
            <p id="confirm-note" class={classes!("note", match state { Some(true) => "ok", Some(false) => "bad", None => "" })} aria-live="polite">
                { match state {
                    Some(true) => t(locale, "confirm_ok"),
                    Some(false) if props.value.is_empty() => t(locale, "confirm_missing"),
                    Some(false) => t(locale, "confirm_bad"),
                    None => "",
                } }
            </p>
        </div>
    }
}
