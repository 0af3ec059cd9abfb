// Keyboard shortcut: "/" focuses the search box, as on many documentation sites.
// Pages work without this script; this handler only adds the shortcut.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  const typing = target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
  if (typing) return;
  const search = document.getElementById('site-search');
  if (!search) return;
  event.preventDefault();
  search.focus();
});

// Take editor: updates the preview while the author types, by posting the text to /takes/preview.
// Without this script the editor's "Preview" button renders the same preview on the server.
(() => {
  const form = document.querySelector('form[data-take-editor]');
  const output = document.getElementById('take-preview-output');
  const status = document.getElementById('take-preview-status');
  if (!(form instanceof HTMLFormElement) || !output) return;
  const textarea = form.querySelector('textarea[name="body"]');
  if (!(textarea instanceof HTMLTextAreaElement)) return;

  const DELAY_MS = 400;
  let timer;
  let latest = 0;

  const field = (name) => {
    const input = form.querySelector(`input[name="${name}"]`);
    return input instanceof HTMLInputElement ? input.value : '';
  };

  const refresh = async () => {
    const sequence = ++latest;
    const payload = new URLSearchParams({ _csrf: field('_csrf'), body: textarea.value, take: field('take'), object: field('object') });
    try {
      const response = await fetch(form.dataset.previewUrl || '/takes/preview', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: payload,
      });
      if (sequence !== latest) return;
      if (!response.ok) throw new Error(`the server returned status ${response.status}`);
      // The server sanitises the fragment exactly as on the object page, and the CSP blocks inline script.
      output.innerHTML = await response.text();
      if (status) status.textContent = 'Preview updated.';
    } catch (error) {
      if (sequence !== latest) return;
      if (status) status.textContent = `The preview could not be updated (${error.message}); use the Preview button.`;
    }
  };

  textarea.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY_MS);
  });
})();
