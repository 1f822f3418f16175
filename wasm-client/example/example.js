// The portal's own script: it listens for the widget's verdicts, keeps its submit button
// disabled until the policy accepts the password, and passes the user's name as context.
const form = document.getElementById('signup');
const password = document.getElementById('password');
const name = document.getElementById('full-name');
const submit = document.getElementById('submit');
const result = document.getElementById('result');

password.addEventListener('matkhau-verdict', (event) => {
  submit.disabled = !event.detail.accepted;
  form.dataset.verdict = event.detail.accepted ? 'accepted' : 'rejected';
});

customElements.whenDefined('matkhau-password-check').then(() => {
  const check = document.querySelector('matkhau-password-check');
  // The user's own name must not be in the password: the widget re-checks when it changes.
  check.controller.setContext(() => ({ full_name: name.value }));
  name.addEventListener('input', () => check.controller.setContext(() => ({ full_name: name.value })));
  check.controller.ready.then(() => {
    form.dataset.ready = 'true';
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    result.textContent = 'Đã gửi (ví dụ: cổng sẽ gửi tới máy chủ của mình).';
  });
});
