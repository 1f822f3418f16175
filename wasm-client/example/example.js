// The portal's own script: it listens for the widget's verdicts, disables its submit button
// while the policy rejects the password, and passes the user's name as context. The button is
// never disabled otherwise: before the widget has loaded, when the field is empty (the browser's
// `required` speaks then) and when the widget is unavailable, the host decides on submit.
const form = document.getElementById('signup');
const password = document.getElementById('password');
const name = document.getElementById('full-name');
const submit = document.getElementById('submit');
const result = document.getElementById('result');
const note = document.getElementById('widget-note');
const widget = document.querySelector('matkhau-password-check');

// detail is the verdict, or null once the field has been cleared.
password.addEventListener('matkhau-verdict', (event) => {
  const verdict = event.detail;
  submit.disabled = verdict !== null && !verdict.accepted;
  form.dataset.verdict = verdict === null ? 'empty' : verdict.accepted ? 'accepted' : 'rejected';
});

// The widget could not load the policy (host down, too slow): it shows its own notice; the
// form stays usable and the host checks the password on submit.
function unavailable() {
  submit.disabled = false;
  form.dataset.ready = 'unavailable';
}
widget.addEventListener('error', unavailable);

customElements.whenDefined('matkhau-password-check').then(() => {
  const check = widget.controller;
  // The user's own name must not be in the password: the widget re-checks when it changes.
  check.setContext(() => ({ full_name: name.value }));
  name.addEventListener('input', () => check.setContext(() => ({ full_name: name.value })));
  check.ready.then(() => {
    if (check.error) unavailable();
    else form.dataset.ready = 'true';
  });
});

// The widget's script itself did not load (its host is down or blocked): say so, keep the form.
window.addEventListener('load', () => {
  if (customElements.get('matkhau-password-check')) return;
  note.hidden = false;
  unavailable();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  result.textContent = 'Đã gửi (ví dụ: cổng sẽ gửi tới máy chủ của mình).';
});
