//! One module per page.

pub mod change;
pub mod login;
pub mod signup;

use yew::prelude::*;

/// A text input's new value from its `input` event.
pub fn text_of(e: InputEvent) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// An answer panel: `role="status"` for successes, `role="alert"` for errors.
pub fn outcome(ok: bool, text: &str, extra: Html) -> Html {
    html! {
        <div class={classes!("outcome", if ok { "ok" } else { "bad" })} role={if ok { "status" } else { "alert" }}>
            <p>{ text.to_string() }</p>
            { extra }
        </div>
    }
}
