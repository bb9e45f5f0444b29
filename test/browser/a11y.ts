// Accessibility of the screen as it is: axe-core's serious and critical violations (WCAG 2.x A and
// AA rules, colour contrast included), plus two things axe leaves to the page's author: one
// level-one heading, and nothing making a phone scroll sideways.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: unknown[] }[];
}

/** Runs in the page (a string: the node typecheck has no DOM types). */
const RUN_AXE = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) })))`;

const LAYOUT = `(() => {
    const problems = [];
    const width = document.documentElement.clientWidth + 1;
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) problems.push(h1 + ' level-one headings');
    if (document.documentElement.scrollWidth > width) {
      const wide = [...document.querySelectorAll('body *')].find((e) => e.getBoundingClientRect().right > width && !e.closest('.table-wrap'));
      problems.push(\`page scrolls sideways (\${document.documentElement.scrollWidth} px): \${wide?.outerHTML.slice(0, 120)}\`);
    }
    return problems;
  })()`;

/** Each problem as "<axe rule> (<impact>): <selectors>" or a layout sentence. Empty when none. */
export async function a11yProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) {
    await page.evaluate(AXE_SOURCE);
  }
  const violations = (await page.evaluate(RUN_AXE)) as AxeViolation[];
  return [
    ...violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ...((await page.evaluate(LAYOUT)) as string[]),
  ];
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
