//! matkhau-web: the BHXH portal's password pages in Yew. The policy engine (matkhau-core) is
//! compiled into the page, so feedback needs no round trip; the host checks again on submit.
//!
//! Every page is also rendered to HTML when the bundle is built (`bin/render.rs`, Yew's server
//! renderer): the host serves that HTML, usable before and without the WebAssembly (its forms
//! post to the host), and the module then takes the page over with what was typed meanwhile
//! ([`prefill`]).

pub mod api;
pub mod app;
pub mod breach;
pub mod feedback;
pub mod i18n;
pub mod pages;
pub mod prefill;
