import { Role } from '@app/auth';
import { buildOrientedPhoto, sha256 } from '@app/testing';
import { a11yAtSizes } from './a11y';
import { eventually, newDevice, shot, signIn, type Stack, startStack } from './harness';

jest.setTimeout(120_000);

const NO_PROBLEMS = { '1024x768': [], '390x844': [] };

/**
 * A photo filed from the till reaches the police upright and without its metadata; the till's
 * alerts stay out of the report form's way; the screens have no unnamed controls at either size.
 */
describe('evidence in the browser, and the till alert strip', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ radio: true });
  });
  afterAll(async () => {
    await stack?.close();
  });
  const users = () => stack.partnership.users;
  const tokens = () => stack.partnership.tokens;

  it('police view a photo filed from the till, upright, and the view is logged', async () => {
    const till = await newDevice(stack, { width: 390, height: 844 });
    await signIn(till.page, users()[Role.Shopworker].email, users()[Role.Shopworker].password);
    await till.page.getByRole('heading', { name: 'Report an incident' }).waitFor();

    // a phone photo stored sideways (EXIF orientation 6) with GPS in its EXIF
    const photo = await buildOrientedPhoto(600, 400);
    const narrative = `Took razors from the shelf by the door ${Date.now()}`;
    await till.page.getByRole('checkbox', { name: 'Shoplifting' }).check();
    await till.page.getByLabel('What happened, in your own words').fill(narrative);
    await till.page.getByText('Photos', { exact: true }).click();
    await till.page
      .getByLabel('Add photos')
      .setInputFiles({ name: 'shelf.jpg', mimeType: 'image/jpeg', buffer: photo });
    await till.page.getByLabel('Your name (for the exhibit label)').fill('Sam Taylor');
    expect(await a11yAtSizes(till.page)).toEqual(NO_PROBLEMS);
    await till.page.getByTestId('file-report').click();

    const [exhibit] = await eventually(async () => {
      const rows = (await stack.api.db.owner.query(
        `SELECT e.id, e.incident_id, e.reference FROM exhibits e JOIN incidents i ON i.id = e.incident_id
          WHERE i.narrative = $1 AND e.sha256 = $2`,
        [narrative, sha256(photo)],
      )) as { id: string; incident_id: string; reference: string }[];
      return rows.length ? rows : undefined;
    });

    // the till's "Sent and waiting" lists the store's reports from the api, photos on request
    await till.page.getByRole('tab', { name: /Sent and waiting/ }).click();
    const recent = till.page.getByTestId('recent-report').filter({ hasText: narrative });
    await shot(till.page, 'till-recent-reports');
    await recent.getByRole('button', { name: /^Photos of the report/ }).click();
    await recent.getByRole('img', { name: `Exhibit ${exhibit.reference}` }).waitFor();
    expect(await a11yAtSizes(till.page)).toEqual(NO_PROBLEMS);

    const opened = await stack.api.http.post(
      '/api/v1/cases',
      { incidentId: exhibit.incident_id, reason: 'razors taken, photo of the shelf' },
      tokens().police,
    );
    expect(opened.status).toBe(201);

    const police = await newDevice(stack, { width: 1024, height: 768 });
    await signIn(police.page, users()[Role.Police].email, users()[Role.Police].password);
    await police.page.goto(`/#/police/cases/${opened.body.id}`);
    const view = police.page.getByTestId('case-view');
    const thumb = view.getByRole('img', { name: `Exhibit ${exhibit.reference}` });
    await thumb.waitFor();
    await view.getByRole('button', { name: `Open exhibit ${exhibit.reference} full size` }).click();
    const dialog = police.page.getByRole('dialog', { name: `Exhibit ${exhibit.reference}` });
    const full = dialog.getByRole('img', { name: `Exhibit ${exhibit.reference}, full size` });
    await full.waitFor();
    // stored 600 x 400 sideways; the viewing copy stands upright, 400 x 600
    const size = await eventually(async () => {
      const [w, h] = await full.evaluate((img) => {
        const i = img as unknown as { naturalWidth: number; naturalHeight: number };
        return [i.naturalWidth, i.naturalHeight];
      });
      return w > 0 && [w, h];
    });
    expect(size).toEqual([400, 600]);
    await shot(police.page, 'police-exhibit-viewer');
    expect(await a11yAtSizes(police.page)).toEqual(NO_PROBLEMS);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // the officer's views are in the access log and in the case's continuity chain
    const [{ n }] = (await stack.api.db.owner.query(
      `SELECT count(*)::int AS n FROM access_log
        WHERE action = 'consult' AND object_type = 'exhibit' AND object_id = $1 AND actor_id = $2`,
      [exhibit.id, users()[Role.Police].id],
    )) as { n: number }[];
    expect(n).toBeGreaterThanOrEqual(2);
    const chain = await stack.api.http.get(`/api/v1/cases/${opened.body.id}/continuity`, tokens().police);
    const copies = (chain.body.items as { action: string; object_id: string; details: { copy?: string } }[])
      .filter((e) => e.action === 'exhibit_viewed' && e.object_id === exhibit.id)
      .map((e) => e.details.copy);
    expect(copies).toEqual(expect.arrayContaining(['metadata-free thumbnail', 'metadata-free viewing copy']));

    expect([...till.errors, ...police.errors]).toEqual([]);
    await till.context.close();
    await police.context.close();
  });

  it('the till collapses its alerts into a strip above the form and acknowledges them all at once', async () => {
    const till = await newDevice(stack, { width: 390, height: 844 });
    await signIn(till.page, users()[Role.StoreManager].email, users()[Role.StoreManager].password);
    await eventually(async () =>
      (await till.page.getByTestId('radio-state').textContent())?.includes('live'),
    );

    const messages = [
      'Grey hoodie at the door',
      'Two men filling bags in aisle 3',
      'Blue van outside, engine on',
    ];
    const ids: string[] = [];
    for (const message of messages) {
      const raised = await stack.api.http.post(
        '/api/v1/alerts',
        { type: 'offender_sighted', message, target: { kind: 'partnership' } },
        tokens().coordinator,
      );
      expect(raised.status).toBe(201);
      ids.push(raised.body.id);
    }
    const strip = till.page.getByTestId('alert-strip');
    await eventually(async () => (await strip.getAttribute('data-count')) === '3');
    // one alert in full, the newest; the others behind "Show all"
    expect(await strip.getByTestId('alert-banner').count()).toBe(1);
    await strip.getByTestId('alert-banner').getByText(messages[2]).waitFor();
    await shot(till.page, 'till-alert-strip-phone');
    // the report form still starts on the first screen
    const form = await till.page.getByRole('heading', { name: 'Report an incident' }).boundingBox();
    expect(form!.y).toBeLessThan(844);
    await shot(till.page, 'till-alert-strip-phone');
    expect(await a11yAtSizes(till.page)).toEqual(NO_PROBLEMS);

    await strip.getByRole('button', { name: 'Show all 3 alerts' }).click();
    expect(await strip.getByTestId('alert-banner').count()).toBe(3);
    await strip.getByRole('button', { name: 'Acknowledge all 3' }).click();
    await strip.waitFor({ state: 'detached' });

    await eventually(async () => {
      const [{ n }] = (await stack.api.db.owner.query(
        `SELECT count(*)::int AS n FROM alert_acks WHERE alert_id = ANY($1) AND actor_id = $2`,
        [ids, users()[Role.StoreManager].id],
      )) as { n: number }[];
      return n === 3;
    });
    expect(till.errors).toEqual([]);
    await till.context.close();
  });

  it('the till can be installed: a favicon and a web manifest whose icons load', async () => {
    const { context, page } = await newDevice(stack, { width: 390, height: 844 });
    await page.goto('/');
    const found = await page.evaluate(`(async () => {
      const link = (rel) => document.querySelector('link[rel="' + rel + '"]')?.href ?? '';
      const manifest = await (await fetch(link('manifest'))).json();
      const icons = await Promise.all(
        manifest.icons.map(async (i) => {
          const res = await fetch(i.src);
          return i.sizes + ' ' + res.status + ' ' + res.headers.get('content-type');
        }),
      );
      const favicon = await fetch(link('icon'));
      return {
        startUrl: manifest.start_url,
        display: manifest.display,
        icons,
        favicon: favicon.status + ' ' + favicon.headers.get('content-type'),
      };
    })()`);
    expect(found).toEqual({
      startUrl: '/#/till',
      display: 'standalone',
      icons: ['192x192 200 image/png', '512x512 200 image/png', 'any 200 image/svg+xml'],
      favicon: '200 image/svg+xml',
    });
    await context.close();
  });
});
