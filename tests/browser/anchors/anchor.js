// The anchor pages' own script (tests/browser/measure.mjs): like the widget, it listens to the
// field at once; the library's deferred scripts run after the page is parsed, then the estimator
// is built (zxcvbn 4.4.2 builds its ranked lists when its script runs, zxcvbn-ts in
// `new ZxcvbnFactory`) and whatever was typed meanwhile is scored. The score and zxcvbn's
// feedback are written into the page, and `#score[data-state="done"]` marks the full verdict.

const input = document.querySelector('#password');
const out = document.querySelector('#score');
let estimate = null;

function build() {
  if (document.documentElement.dataset.library === 'zxcvbn-ts') {
    const { core, 'language-common': common, 'language-en': en } = window.zxcvbnts;
    const factory = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
    return (password) => factory.check(password);
  }
  return (password) => window.zxcvbn(password);
}

function show() {
  if (!estimate || !input.value) return;
  const result = estimate(input.value);
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
  out.textContent = `Độ mạnh ${result.score}/4. ${advice}`;
  out.dataset.score = String(result.score);
  out.dataset.state = 'done';
}

input.addEventListener('input', show);
document.documentElement.dataset.listening = 'true';
document.addEventListener('DOMContentLoaded', () => {
  estimate = build();
  show();
});
