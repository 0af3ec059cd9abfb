// Keyboard shortcut: "/" focuses the search box, as on many documentation sites.
// Pages work without this script; it only adds the shortcut.
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
