//! What the served HTML page held when the module took it over: the values typed into its
//! fields, the field that had focus, and an answer panel the host put in after a form post.
//! Pages start from these, so nothing typed before the module loaded is lost.

use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Default)]
struct Taken {
    values: HashMap<String, String>,
    focus: Option<(String, u32)>,
    outcome: Option<String>,
}

thread_local! {
    static TAKEN: RefCell<Taken> = RefCell::new(Taken::default());
}

/// The value the field `id` held (empty when none).
pub fn value(id: &str) -> String {
    TAKEN.with(|t| t.borrow().values.get(id).cloned().unwrap_or_default())
}

/// The field that had focus and its caret position.
pub fn focus() -> Option<(String, u32)> {
    TAKEN.with(|t| t.borrow_mut().focus.take())
}

/// The host's answer panel (HTML it rendered after a form post), once.
pub fn outcome() -> Option<String> {
    TAKEN.with(|t| t.borrow_mut().outcome.take())
}

/// Reads the fields, focus and answer panel under `root`.
#[cfg(target_arch = "wasm32")]
pub fn capture(root: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    let mut taken = Taken::default();
    if let Ok(list) = root.query_selector_all("input[id], select[id]") {
        for i in 0..list.length() {
            let Some(node) = list.item(i) else { continue };
            if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                taken.values.insert(input.id(), input.value());
            } else if let Some(select) = node.dyn_ref::<web_sys::HtmlSelectElement>() {
                taken.values.insert(select.id(), select.value());
            }
        }
    }
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    if let Some(input) = active.and_then(|a| a.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        let caret = input.selection_end().ok().flatten().unwrap_or(0);
        taken.focus = Some((input.id(), caret));
    }
    if let Ok(Some(panel)) = root.query_selector(".outcome") {
        taken.outcome = Some(panel.outer_html());
    }
    TAKEN.with(|t| *t.borrow_mut() = taken);
}
