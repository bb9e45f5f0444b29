import { readFileSync } from 'node:fs';
import { Role } from '@app/auth';
import { a11yAtSizes } from './a11y';
import { eventually, newDevice, shot, signIn, type Stack, startStack } from './harness';

jest.setTimeout(120_000);

/** The statistics screen: its filters reach the api, and a coordinator gets the quarterly PDF. */
describe('analyst dashboard', () => {
  let stack: Stack;
  beforeAll(async () => {
    // the worker builds the quarterly report
    stack = await startStack({ radio: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('filters every chart by what the stats api offers, and prepares and downloads the quarterly report', async () => {
    const { email, password } = stack.partnership.users[Role.Coordinator];
    const { context, page, errors } = await newDevice(stack, { width: 1024, height: 768 });
    await signIn(page, email, password);
    await page.goto('/#/analyst');
    await page.getByRole('heading', { name: 'Campaign statistics' }).waitFor();
    await eventually(async () => (await page.locator('figure.chart canvas').count()) === 4);

    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/stats/')) {
        asked.push(decodeURIComponent(r.url()));
      }
    });
    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Shoplifting' });
    await page.getByLabel('From', { exact: true }).fill('2026-01-01');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await eventually(async () => asked.length >= 4);
    expect(asked.every((u) => u.includes('type=theft_shop') && u.includes('from=2026-01-01'))).toBe(true);
    // periods and keys in words, never raw keys such as violent_reported
    const labels = (await page.evaluate(
      `[...document.querySelectorAll('figure.chart canvas')].map((c) => c.getAttribute('aria-label')).join(' ')`,
    )) as string;
    expect(labels).toContain('By type: Shoplifting');
    expect(labels).toContain('Police response: ');
    expect(labels).not.toMatch(/[a-z]+_[a-z]+/);

    await page.getByLabel('Year', { exact: true }).selectOption('2026');
    await page.getByLabel('Quarter', { exact: true }).selectOption({ label: 'July to September' });
    await page.getByRole('button', { name: 'Prepare the report' }).click();
    await eventually(
      async () => (await page.getByTestId('quarterly-report').getAttribute('data-status')) === 'ready',
      60_000,
    );
    await shot(page, 'analyst-quarterly-report');
    expect(await a11yAtSizes(page)).toEqual({ '1024x768': [], '390x844': [] });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the PDF' }).click(),
    ]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(errors).toEqual([]);
    await context.close();
  });
});
