//! The portal's WebAssembly entry: takes over the page the host served as HTML.

fn main() {
    #[cfg(target_arch = "wasm32")]
    matkhau_web::app::start();
}
