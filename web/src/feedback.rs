//! The password field with live feedback: rule checklist, strength meter, problems and advice,
//! show/hide and "suggest a strong password". Everything comes from matkhau-core compiled into
//! the page; the host checks again on submit and its answer wins.

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
    /// Nothing typed, or the full verdict is not in yet.
    Pending,
    /// The latest verdict accepts it.
    Accepted,
    /// The latest verdict rejects it.
    Rejected,
}

/// Properties of [`PasswordField`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The input's id (labels point at it).
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The current value.
    pub value: String,
    /// Called with the new value on every input.
    pub on_input: Callback<String>,
    /// `new-password` or `current-password`.
    pub autocomplete: AttrValue,
    /// Message language.
    pub locale: Locale,
    /// The host's policy; `None` while it loads. Feedback is shown only when `feedback` is set.
    #[prop_or_default]
    pub policy: Option<Rc<Policy>>,
    /// Show the checklist, meter and advice (new passwords).
    #[prop_or_default]
    pub feedback: bool,
    /// The user's data, so passwords built from it are refused.
    #[prop_or_default]
    pub context: Rc<Context>,
    /// Told the status after every full evaluation.
    #[prop_or_default]
    pub on_status: Callback<Status>,
}

/// A password input with live feedback.
#[function_component(PasswordField)]
pub fn password_field(props: &Props) -> Html {
    let shown = use_state(|| false);
    let verdict = use_state(|| None::<(String, Rc<Verdict>)>);
    let announce = use_state(String::new);
    // The latest breach lookup's answer, for the value it was made for.
    let exposure = use_state(|| None::<(String, Exposure)>);
    // Cleared when the host has no breach corpus.
    let screening = use_state(breach::available);
    let locale = props.locale;
    // The policy's checks, in the verdict's order (listed before the first verdict arrives).
    let rules = use_memo(props.policy.clone(), |policy| {
        policy
            .as_deref()
            .map(matkhau_core::checks_of)
            .unwrap_or_default()
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
            (*exposure).clone(),
            *screening && breach::available(),
        );
        use_effect_with(
            deps,
            move |(value, context, policy, locale, feedback, found, screen)| {
                let timer = match (policy, *feedback) {
                    (Some(policy), true) if !value.is_empty() => {
                        let (value, context, policy, locale) =
                            (value.clone(), context.clone(), policy.clone(), *locale);
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
                            let text = if v.accepted {
                                t(locale, "accepted").to_string()
                            } else {
                                let first = v.problems.first().map(|p| p.message.as_str());
                                format!("{} {}", t(locale, "rejected"), first.unwrap_or(""))
                            };
                            announce.set(text);
                            on_status.emit(if v.accepted {
                                Status::Accepted
                            } else {
                                Status::Rejected
                            });
                            verdict.set(Some((value, Rc::new(v))));
                        });
                        Some((settle, lookup))
                    }
                    _ => {
                        on_status.emit(Status::Pending);
                        verdict.set(None);
                        announce.set(String::new());
                        None
                    }
                };
                move || drop(timer)
            },
        );
    }

    let on_input = text_input(props.on_input.clone());
    let toggle = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(!*shown))
    };
    let suggest = {
        let cb = props.on_input.clone();
        let policy = props.policy.clone();
        let shown = shown.clone();
        let announce = announce.clone();
        Callback::from(move |_| {
            let (Some(policy), Some(seed)) = (policy.as_ref(), random_seed()) else {
                return;
            };
            shown.set(true);
            cb.emit(matkhau_core::generate(policy, seed));
            announce.set(t(locale, "suggested").to_string());
        })
    };

    let described = format!("{}-feedback", props.id);
    let input = html! {
        <div class="password-row">
            <input id={props.id.clone()} type={if *shown { "text" } else { "password" }}
                value={props.value.clone()} oninput={on_input}
                autocomplete={props.autocomplete.clone()} spellcheck="false"
                autocapitalize="none" required=true
                aria-describedby={props.feedback.then(|| described.clone())} />
            <button type="button" class="toggle" onclick={toggle}
                aria-pressed={if *shown { "true" } else { "false" }}
                aria-controls={props.id.clone()} aria-label={t(locale, "show_label")}>
                { if *shown { t(locale, "hide") } else { t(locale, "show") } }
            </button>
        </div>
    };
    if !props.feedback {
        return html! {
            <div class="field">
                <label for={props.id.clone()}>{ props.label.clone() }</label>
                { input }
            </div>
        };
    }

    let Some(policy) = props.policy.clone() else {
        return html! {
            <div class="field">
                <label for={props.id.clone()}>{ props.label.clone() }</label>
                { input }
                <p id={described} class="note" role="status">{ t(locale, "loading") }</p>
            </div>
        };
    };
    let current = verdict
        .as_ref()
        .filter(|(for_value, _)| *for_value == props.value)
        .map(|(_, v)| v.clone());
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            { input }
            <button type="button" class="suggest" onclick={suggest}>{ t(locale, "suggest") }</button>
            <div id={described} class="feedback"
                data-state={match (&current, props.value.is_empty()) {
                    (_, true) => "empty",
                    (None, false) => "pending",
                    (Some(v), _) if v.accepted => "accepted",
                    _ => "rejected",
                }}>
                { checklist(&props.value, &policy, &rules, current.as_deref(), *screening && breach::available(), locale) }
                { meter(current.as_deref(), locale) }
                { advice(current.as_deref(), locale) }
                <p class="visually-hidden" aria-live="polite" aria-atomic="true">{ (*announce).clone() }</p>
            </div>
        </div>
    }
}

/// The rules, ticked live: the verdict's checks once it is in for this value; before that,
/// length and classes from `core::checklist` on every keystroke and the other `rules` pending.
/// With `screening`, the breach rule is pending until a verdict has the lookup's answer.
fn checklist(
    value: &str,
    policy: &Policy,
    rules: &[String],
    verdict: Option<&Verdict>,
    screening: bool,
    locale: Locale,
) -> Html {
    let mut checks: Vec<(String, Option<bool>)> = match verdict {
        Some(v) => v
            .checks
            .iter()
            .map(|c| (c.code.clone(), Some(c.ok)))
            .collect(),
        None => {
            let quick = matkhau_core::checklist(value, policy);
            let pending = rules.iter().skip(quick.len()).map(|c| (c.clone(), None));
            quick
                .into_iter()
                .map(|Check { code, ok }| (code, Some(ok)))
                .chain(pending)
                .collect()
        }
    };
    if screening && !checks.iter().any(|(code, _)| code == "breach") {
        checks.push(("breach".to_string(), None));
    }
    // The upper bound and invisible characters are listed only when they fail.
    let items = checks.into_iter().filter(|(code, ok)| {
        !matches!(code.as_str(), "length.max" | "chars.invisible") || *ok == Some(false)
    });
    html! {
        <section class="rules" aria-label={t(locale, "rules")}>
            <ul>
            { for items.map(|(code, ok)| {
                let state = match (ok, value.is_empty()) {
                    (_, true) | (None, _) => "todo",
                    (Some(true), _) => "ok",
                    (Some(false), _) => "bad",
                };
                let label = messages::label(&code, locale, policy).unwrap_or_default();
                html! {
                    <li class={state} data-code={code}>
                        <span class="mark" aria-hidden="true">{ match state { "ok" => "✓", "bad" => "✗", _ => "•" } }</span>
                        { label }
                        <span class="visually-hidden">{ format!(" ({})", if state == "ok" { t(locale, "met") } else { t(locale, "not_met") }) }</span>
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

fn advice(verdict: Option<&Verdict>, locale: Locale) -> Html {
    let Some(v) = verdict else {
        return Html::default();
    };
    if v.accepted {
        return html! { <p class="verdict ok">{ t(locale, "accepted") }</p> };
    }
    html! {
        <div class="advice">
            <p class="verdict bad">{ t(locale, "rejected") }</p>
            <ul class="problems">
                { for v.problems.iter().map(|p| html! { <li data-code={p.code.clone()}>{ p.message.clone() }</li> }) }
            </ul>
            if !v.suggestions.is_empty() {
                <p class="advice-title">{ t(locale, "advice") }</p>
                <ul class="suggestions">
                    { for v.suggestions.iter().map(|s| html! { <li data-code={s.code.clone()}>{ s.message.clone() }</li> }) }
                </ul>
            }
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
}

/// "Repeat the password", with a live match message.
#[function_component(ConfirmField)]
pub fn confirm_field(props: &ConfirmProps) -> Html {
    let locale = props.locale;
    let on_input = text_input(props.on_input.clone());
    let state = if props.value.is_empty() {
        None
    } else {
        Some(props.value == props.password)
    };
    html! {
        <div class="field">
            <label for="confirm">{ t(locale, "confirm") }</label>
            <input id="confirm" type="password" value={props.value.clone()} oninput={on_input}
                autocomplete="new-password" required=true aria-describedby="confirm-note"
                aria-invalid={if state == Some(false) { "true" } else { "false" }} />
            <p id="confirm-note" class={classes!("note", match state { Some(true) => "ok", Some(false) => "bad", None => "" })} aria-live="polite">
                { match state {
                    Some(true) => t(locale, "confirm_ok"),
                    Some(false) => t(locale, "confirm_bad"),
                    None => "",
                } }
            </p>
        </div>
    }
}
