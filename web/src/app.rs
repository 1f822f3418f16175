//! The portal shell: header with language switch, the page for the address, the host's policy.

use crate::api;
use crate::i18n::t;
use crate::pages::{
    change::ChangePage,
    forced::ForcedPage,
    forgot::ForgotPage,
    login::LoginPage,
    otp::{CodePage, EnrolPage},
    reset::ResetPage,
    signup::SignupPage,
};
use matkhau_core::{Context, Locale, Policy};
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds the policy may take to arrive before the page says it could not load it (the
/// forms still work: the host decides on submit).
const POLICY_TIMEOUT_MS: u32 = 8_000;

/// A required change the log-in answer asked for: the forced-change page opens with it.
#[derive(Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Forced {
    /// The account.
    pub username: String,
    /// The password just used to log in; `None` when it no longer works (a temporary one was
    /// mailed instead).
    #[serde(skip)]
    pub current: Option<String>,
    /// The host's reasons (`weak`, `expired`, `temporary`, `first_login`, `leaked`, …).
    pub reasons: Vec<String>,
    /// The host's localised explanations, one per reason (used for reasons the page does not
    /// know).
    pub messages: Vec<String>,
    /// The account's data, from the log-in answer (never stored).
    #[serde(skip)]
    pub context: Option<Context>,
    /// Where the temporary password was mailed, masked.
    pub mail_to: Option<String>,
    /// Whether the mail went out at once (`false`: queued).
    pub sent: bool,
}

/// Which page is shown.
#[derive(Clone, PartialEq, Debug)]
pub enum Page {
    /// `/` and `/dang-nhap`.
    Login,
    /// `/dang-ky`.
    Signup,
    /// `/doi-mat-khau`.
    Change,
    /// A required change after log-in.
    Forced(Box<Forced>),
    /// `/quen-mat-khau`.
    Forgot,
    /// `/dat-lai-mat-khau`.
    Reset,
    /// The one-time code after a right password.
    Code(Box<crate::pages::otp::Step>),
    /// Enrolling an authenticator app before going on: (username, password).
    Enrol(Box<(String, String)>),
}

impl Page {
    /// The page at `path`.
    pub fn of(path: &str) -> Page {
        match path.trim_end_matches('/') {
            "/dang-ky" => Page::Signup,
            "/doi-mat-khau" => Page::Change,
            "/quen-mat-khau" => Page::Forgot,
            "/dat-lai-mat-khau" => Page::Reset,
            _ => Page::Login,
        }
    }

    /// The path of the page (forced change: the log-in page's).
    pub fn path(&self) -> &'static str {
        match self {
            Page::Login | Page::Forced(_) | Page::Code(_) | Page::Enrol(_) => "/dang-nhap",
            Page::Signup => "/dang-ky",
            Page::Change => "/doi-mat-khau",
            Page::Forgot => "/quen-mat-khau",
            Page::Reset => "/dat-lai-mat-khau",
        }
    }

    /// The key of its title in [`t`].
    pub fn title_key(&self) -> &'static str {
        match self {
            Page::Login | Page::Code(_) => "login",
            Page::Enrol(_) => "enrol_title",
            Page::Signup => "signup",
            Page::Change | Page::Forced(_) => "change",
            Page::Forgot => "forgot_title",
            Page::Reset => "reset_title",
        }
    }
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

/// Where the portal starts: the page's path and language (from the address and the served
/// page's `lang`, or given to the renderer).
#[derive(Properties, Clone, PartialEq)]
pub struct Props {
    /// The address's path.
    pub path: AttrValue,
    /// The language the page was served in.
    pub locale: Locale,
}

/// Remembers the language for the host (cookie, read when it serves a page) and the module.
fn remember_locale(locale: Locale) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = doc.set_cookie(&format!(
                "matkhau_lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
                locale.as_str()
            ));
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", locale.as_str());
            }
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = locale;
}

/// The whole portal.
#[function_component(App)]
pub fn app(props: &Props) -> Html {
    let locale = use_state(|| props.locale);
    let loaded = use_state(|| Loaded::Loading);
    let page = use_state(|| Page::of(&props.path));

    {
        let loaded = loaded.clone();
        use_effect_with((), move |_| {
            let done = Rc::new(std::cell::Cell::new(false));
            let late = {
                let (loaded, done) = (loaded.clone(), done.clone());
                gloo::timers::callback::Timeout::new(POLICY_TIMEOUT_MS, move || {
                    if !done.get() {
                        loaded.set(Loaded::Failed);
                    }
                })
            };
            yew::platform::spawn_local(async move {
                let answer = api::get("/v1/policy").await.filter(|r| r.ok());
                if let Some(r) = &answer {
                    crate::breach::configure(&r.body);
                }
                let policy =
                    answer.and_then(|r| matkhau_core::policy::parse_published(&r.text).ok());
                done.set(true);
                drop(late);
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
    use_effect_with((), |_| crate::pages::restore_focus());

    let other = match *locale {
        Locale::Vi => Locale::En,
        Locale::En => Locale::Vi,
    };
    let switch = {
        let locale = locale.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            remember_locale(other);
            locale.set(other);
        })
    };
    let on_forced = {
        let page = page.clone();
        Callback::from(move |forced: Forced| page.set(Page::Forced(Box::new(forced))))
    };

    let on_code = {
        let page = page.clone();
        Callback::from(move |step| page.set(Page::Code(Box::new(step))))
    };
    let on_enrol = {
        let page = page.clone();
        Callback::from(move |who| page.set(Page::Enrol(Box::new(who))))
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
    let here = page.path();
    let current = |path: &str| -> Option<&'static str> { (path == here).then_some("page") };
    html! {
        <>
            <header class="top">
                <p class="site">{ t(l, "site") }</p>
                <a class="lang" href={format!("{here}?lang={}", other.as_str())} onclick={switch}
                    hreflang={other.as_str()} lang={other.as_str()}>{ t(l, "switch") }</a>
                <nav aria-label={t(l, "nav")}>
                    <a href="/dang-nhap" aria-current={current("/dang-nhap")}>{ t(l, "login") }</a>
                    <a href="/dang-ky" aria-current={current("/dang-ky")}>{ t(l, "signup") }</a>
                    <a href="/doi-mat-khau" aria-current={current("/doi-mat-khau")}>{ t(l, "change") }</a>
                </nav>
            </header>
            <main id="main">
                if shared.policy_failed {
                    <p class="note bad" role="alert">{ t(l, "policy_failed") }</p>
                }
                { match &*page {
                    Page::Login => html! { <LoginPage shared={shared.clone()} on_forced={on_forced} on_code={on_code} on_enrol={on_enrol} /> },
                    Page::Code(step) => html! { <CodePage shared={shared.clone()} step={(**step).clone()} on_forced={on_forced} /> },
                    Page::Enrol(who) => html! { <EnrolPage shared={shared.clone()} username={who.0.clone()} password={who.1.clone()} /> },
                    Page::Signup => html! { <SignupPage shared={shared.clone()} /> },
                    Page::Change => html! { <ChangePage shared={shared.clone()} /> },
                    Page::Forced(forced) => html! { <ForcedPage shared={shared.clone()} forced={(**forced).clone()} /> },
                    Page::Forgot => html! { <ForgotPage shared={shared.clone()} /> },
                    Page::Reset => html! { <ResetPage shared={shared.clone()} /> },
                } }
            </main>
        </>
    }
}

/// Takes over the served page: reads what was typed, then renders the portal in its place.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = doc.get_element_by_id("app") else {
        return;
    };
    crate::prefill::capture(&root);
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let locale = doc
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or(Locale::Vi);
    root.set_inner_html("");
    yew::Renderer::<App>::with_root_and_props(
        root,
        Props {
            path: path.into(),
            locale,
        },
    )
    .render();
}
