/**
 * The four flows as tabs (WAI-ARIA tabs pattern): one tab in the tab order, arrow keys, Home and End
 * move between tabs, Enter or Space (a button's own keys) opens one. The URL's hash names the open tab,
 * so a link can open a flow directly (`/demo/#validate`).
 */

/** Makes the tablist work; returns a function that opens a tab by name. */
export function setUpTabs(tablist) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const select = (tab, focus) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
    }
    if (focus) tab.focus();
    history.replaceState(null, '', `#${tab.dataset.tab}`);
  };
  for (const tab of tabs) tab.addEventListener('click', () => select(tab, false));
  tablist.addEventListener('keydown', (event) => {
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length], true);
  });
  const byName = (name) => tabs.find((t) => t.dataset.tab === name) ?? tabs[0];
  select(byName(location.hash.slice(1)), false);
  return (name) => select(byName(name), false);
}
