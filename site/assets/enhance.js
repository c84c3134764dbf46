// Progressive enhancement, about 2 KB: every page works without it. Adds tooltips on chart marks
// (from the labels Vega writes for screen readers), sortable tables, and a theme switch.
(() => {
  const tip = document.createElement('div');
  tip.className = 'tooltip';
  tip.hidden = true;
  document.body.append(tip);
  const show = (target, x, y) => {
    tip.textContent = target.getAttribute('aria-label');
    tip.hidden = false;
    tip.style.left = `${Math.min(x + 12, window.innerWidth - tip.offsetWidth - 8)}px`;
    tip.style.top = `${y + 12}px`;
  };
  for (const svg of document.querySelectorAll('.chart-svg svg, .spark svg')) {
    svg.addEventListener('pointermove', (event) => {
      const mark = event.target.closest('[role="graphics-symbol"][aria-label]');
      if (mark && !mark.closest('[aria-roledescription="axis"], [aria-roledescription="legend"]')) show(mark, event.clientX, event.clientY);
      else tip.hidden = true;
    });
    svg.addEventListener('pointerleave', () => { tip.hidden = true; });
  }

  const key = (cell) => {
    const raw = cell.dataset.sort ?? cell.textContent.trim();
    const number = Number(raw);
    return raw !== '' && Number.isFinite(number) ? number : raw.toLowerCase();
  };
  for (const table of document.querySelectorAll('table.sortable')) {
    const headers = [...table.tHead.rows[0].cells];
    headers.forEach((th, column) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      th.replaceChildren(button);
      button.addEventListener('click', () => {
        const descending = th.getAttribute('aria-sort') !== 'descending';
        for (const other of headers) other.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        const body = table.tBodies[0];
        const rows = [...body.rows].sort((a, b) => {
          const x = key(a.cells[column]);
          const y = key(b.cells[column]);
          const order = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : typeof x === 'number' ? -1 : 1;
          return descending ? -order : order;
        });
        body.append(...rows);
      });
    });
  }

  const root = document.documentElement;
  const saved = localStorage.getItem('tokenledger-theme');
  if (saved) root.dataset.theme = saved;
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'theme-toggle';
  const label = () => { toggle.textContent = (root.dataset.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')) === 'dark' ? 'Light theme' : 'Dark theme'; };
  label();
  toggle.addEventListener('click', () => {
    const dark = toggle.textContent === 'Dark theme';
    root.dataset.theme = dark ? 'dark' : 'light';
    localStorage.setItem('tokenledger-theme', root.dataset.theme);
    label();
  });
  document.querySelector('.site-header')?.append(toggle);
})();
