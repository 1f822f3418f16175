// Starts the Yew portal (matkhau-web). No inline script: the pages run under a strict CSP.
import init from './matkhau-web.js';

performance.mark('matkhau:boot');
init({ module_or_path: new URL('./matkhau-web_bg.wasm', import.meta.url) }).then(() => {
  performance.mark('matkhau:ready');
  document.documentElement.dataset.ready = 'true';
});
