// What a screen reader would stumble on, read from Chromium's own accessibility tree (CDP): a
// control, image or dialog without a name, and duplicate ids. It covers axe-core's critical
// "name" rules (button-name, link-name, image-alt, label, aria-dialog-name) and duplicate-id-aria;
// it does not measure colour contrast. axe-core itself is not installed here.
import type { Page } from 'playwright-core';

interface AXNode {
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  backendDOMNodeId?: number;
}

const NAMED_ROLES = new Set([
  'button',
  'link',
  'image',
  'img',
  'textbox',
  'searchbox',
  'checkbox',
  'radio',
  'combobox',
  'listbox',
  'spinbutton',
  'slider',
  'switch',
  'menuitem',
  'tab',
  'dialog',
  'alertdialog',
]);

/** Each problem as "role without a name: <outer HTML>" or "duplicate id: x". Empty when none. */
export async function a11yProblems(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const problems: string[] = [];
    for (const n of nodes) {
      const role = n.role?.value ?? '';
      if (n.ignored || !NAMED_ROLES.has(role) || (n.name?.value ?? '').trim()) {
        continue;
      }
      let html = '';
      if (n.backendDOMNodeId) {
        const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { backendNodeId: n.backendDOMNodeId })) as {
          outerHTML: string;
        };
        html = outerHTML.slice(0, 160);
      }
      problems.push(`${role} without a name: ${html}`);
    }
    const duplicates = (await page.evaluate(`(() => {
      const seen = new Map();
      document.querySelectorAll('[id]').forEach((e) => seen.set(e.id, (seen.get(e.id) ?? 0) + 1));
      return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    })()`)) as string[];
    return [...problems, ...duplicates.map((id) => `duplicate id: ${id}`)];
  } finally {
    await cdp.detach();
  }
}

/** Runs in the page (a string: the node typecheck has no DOM types). */
const LAYOUT = `(() => {
    const problems = [];
    const width = document.documentElement.clientWidth + 1;
    if (!document.querySelector('h1')) problems.push('no level-one heading');
    if (document.documentElement.scrollWidth > width) {
      const wide = [...document.querySelectorAll('body *')].find((e) => e.getBoundingClientRect().right > width && !e.closest('.table-wrap'));
      problems.push(\`page scrolls sideways (\${document.documentElement.scrollWidth} px): \${wide?.outerHTML.slice(0, 120)}\`);
    }
    return problems;
  })()`;

/** The names and ids above, plus a level-one heading and nothing making a phone scroll sideways. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return [...(await a11yProblems(page)), ...((await page.evaluate(LAYOUT)) as string[])];
}

/** The problems at each size (a tablet held landscape, a phone), checked on the screen as it is. */
export async function a11yAtSizes(page: Page): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const size of [
    { width: 1024, height: 768 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(size);
    out[`${size.width}x${size.height}`] = await a11yProblems(page);
  }
  return out;
}
