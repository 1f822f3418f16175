//! The portal shell: header with language switch, the page for the address, the host's policy.

use crate::api;
use crate::i18n::t;
use crate::pages::{change::ChangePage, login::LoginPage, signup::SignupPage};
use matkhau_core::{Locale, Policy};
use std::rc::Rc;
use yew::prelude::*;

/// A required change the log-in answer asked for: the change page opens with it.
#[derive(Clone, PartialEq, Debug)]
pub struct Forced {
    /// The account.
    pub username: String,
    /// The password just used to log in; `None` when it no longer works (a temporary one was
    /// mailed instead).
    pub current: Option<String>,
    /// The host's reasons (`weak`, `expired`, `temporary`, `first_login`, `leaked`, …).
    pub reasons: Vec<String>,
    /// The host's localised explanations.
    pub messages: Vec<String>,
}

/// Which page is shown.
#[derive(Clone, PartialEq, Debug)]
pub enum Page {
    /// `/` and `/dang-nhap`.
    Login,
    /// `/dang-ky`.
    Signup,
    /// `/doi-mat-khau`, or a required change after log-in.
    Change(Option<Forced>),
}

/// What every page gets from the shell.
#[derive(Clone, PartialEq)]
pub struct Shared {
    /// Message language.
    pub locale: Locale,
    /// The host's policy (`None` while loading or when it failed).
    pub policy: Option<Rc<Policy>>,
    /// Whether loading the policy failed.
    pub policy_failed: bool,
}

/// The policy state while the shell loads it.
#[derive(Clone, PartialEq)]
enum Loaded {
    Loading,
    Ready(Rc<Policy>),
    Failed,
}

fn initial_locale() -> Locale {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item("matkhau.lang").ok().flatten());
    stored
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or(Locale::Vi)
}

fn page_of(path: &str) -> Page {
    match path.trim_end_matches('/') {
        "/dang-ky" => Page::Signup,
        "/doi-mat-khau" => Page::Change(None),
        _ => Page::Login,
    }
}

fn set_document_lang(locale: Locale) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", locale.as_str());
    }
}

/// The whole portal.
#[function_component(App)]
pub fn app() -> Html {
    let locale = use_state(initial_locale);
    let loaded = use_state(|| Loaded::Loading);
    let page = use_state(|| {
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        page_of(&path)
    });

    {
        let loaded = loaded.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                let answer = api::get("/v1/policy").await.filter(|r| r.ok());
                if let Some(r) = &answer {
                    crate::breach::configure(&r.body);
                }
                let policy =
                    answer.and_then(|r| matkhau_core::policy::parse_published(&r.text).ok());
                let warm = policy.is_some();
                loaded.set(match policy {
                    Some(p) => Loaded::Ready(Rc::new(p)),
                    None => Loaded::Failed,
                });
                if warm {
                    // Build the estimator's tables (~20 ms) once the form is on screen, before
                    // the first keystroke needs them.
                    gloo::timers::callback::Timeout::new(50, matkhau_core::warm).forget();
                }
            });
        });
    }
    use_effect_with(*locale, |locale| set_document_lang(*locale));

    let switch = {
        let locale = locale.clone();
        Callback::from(move |_| {
            let next = match *locale {
                Locale::Vi => Locale::En,
                Locale::En => Locale::Vi,
            };
            if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten())
            {
                let _ = storage.set_item("matkhau.lang", next.as_str());
            }
            locale.set(next);
        })
    };
    let on_forced = {
        let page = page.clone();
        Callback::from(move |forced: Forced| page.set(Page::Change(Some(forced))))
    };

    let shared = Shared {
        locale: *locale,
        policy: match &*loaded {
            Loaded::Ready(p) => Some(p.clone()),
            _ => None,
        },
        policy_failed: *loaded == Loaded::Failed,
    };
    let l = *locale;
    let current = |p: &Page| -> Option<&'static str> {
        (std::mem::discriminant(p) == std::mem::discriminant(&*page)).then_some("page")
    };
    html! {
        <>
            <header class="top">
                <p class="site">{ t(l, "site") }</p>
                <button type="button" class="lang" onclick={switch} aria-label={t(l, "switch_label")}>{ t(l, "switch") }</button>
                <nav aria-label={t(l, "nav")}>
                    <a href="/dang-nhap" aria-current={current(&Page::Login)}>{ t(l, "login") }</a>
                    <a href="/dang-ky" aria-current={current(&Page::Signup)}>{ t(l, "signup") }</a>
                    <a href="/doi-mat-khau" aria-current={current(&Page::Change(None))}>{ t(l, "change") }</a>
                </nav>
            </header>
            <main id="main">
                if shared.policy_failed {
                    <p class="note bad" role="alert">{ t(l, "policy_failed") }</p>
                }
                { match &*page {
                    Page::Login => html! { <LoginPage shared={shared.clone()} on_forced={on_forced} /> },
                    Page::Signup => html! { <SignupPage shared={shared.clone()} /> },
                    Page::Change(forced) => html! { <ChangePage shared={shared.clone()} forced={forced.clone()} /> },
                } }
            </main>
        </>
    }
}

/// The text for an error answer: our translation of its code, else the host's message.
pub fn error_text(locale: Locale, reply: &api::Reply) -> String {
    let known = t(locale, &format!("e.{}", reply.error_code()));
    if known == "?" {
        format!("{} {}", t(locale, "server_said"), reply.error_message())
    } else {
        known.to_string()
    }
}
