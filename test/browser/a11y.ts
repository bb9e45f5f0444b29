// A page's accessibility basics, checked in the browser. axe-core is not installed in this
// project, so this covers what the admin pages can get wrong most easily: every control and image
// has an accessible name, ids are unique, a level-one heading exists, and nothing overflows the
// viewport sideways (a phone at 390 px must not scroll horizontally).
import type { Page } from 'playwright-core';

/** Runs in the page (a string: the node typecheck has no DOM types). */
const CHECK = `(() => {
    const problems = [];
    const named = (el) => {
      const aria = el.getAttribute('aria-label')?.trim();
      const by = el.getAttribute('aria-labelledby');
      const labelled = el.labels?.length;
      const text = el.textContent?.trim();
      const alt = el.getAttribute('alt')?.trim();
      return Boolean(aria || (by && document.getElementById(by)?.textContent?.trim()) || labelled || alt || (el.tagName === 'BUTTON' && text) || (el.tagName === 'A' && text));
    };
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href], img')) {
      const rect = el.getBoundingClientRect();
      const radio = el.matches('input[type=radio], input[type=checkbox]');
      if (!named(el) && !(radio && el.closest('label'))) {
        problems.push(\`no accessible name: \${el.outerHTML.slice(0, 120)}\`);
      }
      if (rect.width && rect.right > document.documentElement.clientWidth + 1 && !el.closest('.table-wrap')) {
        problems.push(\`outside the viewport: \${el.outerHTML.slice(0, 120)}\`);
      }
    }
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
      problems.push(\`duplicate id: \${id}\`);
    }
    if (!document.querySelector('h1')) {
      problems.push('no level-one heading');
    }
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) {
      const wide = [...document.querySelectorAll('body *')].find(
        (e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-wrap'),
      );
      problems.push(\`page scrolls sideways (\${document.documentElement.scrollWidth} px): \${wide?.outerHTML.slice(0, 120)}\`);
    }
    return problems;
  })()`;

export async function accessibilityProblems(page: Page): Promise<string[]> {
  return (await page.evaluate(CHECK)) as string[];
}
