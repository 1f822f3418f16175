// Starts the Yew portal (matkhau-web) over the page the host served as HTML. No inline script:
// the pages run under a strict CSP. If the module cannot load, the served form still works
// (it posts to the host, which checks everything) and the page says so.
import init from './matkhau-web.js';

const FAILED = {
  vi: 'Không tải được phần kiểm tra mật khẩu ngay khi gõ. Bạn vẫn gửi được biểu mẫu: máy chủ sẽ kiểm tra mật khẩu khi bạn gửi.',
  en: 'The as-you-type password check could not be loaded. You can still send the form: the server checks the password when you do.',
};

function failed() {
  document.documentElement.dataset.ready = 'failed';
  const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
  const note = document.createElement('p');
  note.className = 'note bad boot-failed';
  note.setAttribute('role', 'alert');
  note.textContent = FAILED[lang];
  const main = document.getElementById('main') ?? document.body;
  main.prepend(note);
}

performance.mark('matkhau:boot');
init({ module_or_path: new URL('./matkhau-web_bg.wasm', import.meta.url) }).then(() => {
  performance.mark('matkhau:ready');
  document.documentElement.dataset.ready = 'true';
}, failed);
