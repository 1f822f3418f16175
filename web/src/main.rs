//! matkhau-web: the BHXH portal's password pages in Yew. The policy engine (matkhau-core) is
//! compiled into the page, so feedback needs no round trip; the host checks again on submit.

mod api;
mod app;
mod breach;
mod feedback;
mod i18n;
mod pages;

fn main() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    {
        yew::Renderer::<app::App>::with_root(root).render();
    }
}
