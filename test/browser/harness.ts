// The real stack for browser journeys: the api (serving the built client from apps/web/dist), and
// when asked the worker and a radio instance, with Debian's Chromium driven by playwright-core.
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import {
  freePort,
  givenPartnership,
  type GivenPartnership,
  startTestApi,
  startTestWorker,
  type TestApi,
} from '@app/testing';
import { createRadioApp } from '../../apps/radio/src/create-radio-app';

export const OUTPUT = join(__dirname, '..', 'output', 'browser');
const CHROMIUM = '/usr/bin/chromium';

/** The apps and the browser, with no partnership in the database yet. */
export interface BareStack {
  api: TestApi;
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The apps and the browser, with a test partnership (a user per role, two stores). */
export interface Stack extends BareStack {
  partnership: GivenPartnership;
}

/** Starts the api (and with `radio`, the worker and a radio on the port the api tells the client). */
export async function startStack(opts: { radio?: boolean } = {}): Promise<Stack> {
  const stack = await startBareStack(opts);
  try {
    return { ...stack, partnership: await givenPartnership(stack.api) };
  } catch (err) {
    await stack.close();
    throw err;
  }
}

/**
 * The same stack with an empty database (migrated, no partnership): for journeys that start from
 * the bootstrap command, as a new partnership does.
 */
export async function startBareStack(opts: { radio?: boolean } = {}): Promise<BareStack> {
  if (!existsSync(join(__dirname, '..', '..', 'apps/web/dist/index.html'))) {
    throw new Error('Build the web client first: npm run build:web (npm test does it)');
  }
  mkdirSync(OUTPUT, { recursive: true });
  // a port of our own even without a radio, so a developer's running radio is never reached
  const radioPort = await freePort();
  const api = await startTestApi({ RADIO_PORT: String(radioPort), LOG_LEVEL: 'silent' });
  let worker: INestApplicationContext | null = null;
  let radio: INestApplication | null = null;
  if (opts.radio) {
    worker = await startTestWorker(api.db.config);
    radio = await createRadioApp(api.db.config, pino({ level: 'silent' }));
    await radio.listen(radioPort, '127.0.0.1');
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    // playwright gives each launch a fresh temporary user-data dir and removes it on close
  });
  return {
    api,
    url: api.http.baseUrl,
    browser,
    close: async () => {
      await browser.close();
      await radio?.close();
      await worker?.close();
      await api.close();
    },
  };
}

/** A fresh context (its own storage, like a separate device) with console errors collected. */
export async function newDevice(
  stack: BareStack,
  viewport = { width: 1024, height: 900 },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await stack.browser.newContext({ viewport, baseURL: stack.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
      errors.push(m.text());
    }
  });
  return { context, page, errors };
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('main[data-screen]').waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
}

/** Polls until `check` returns a value that is not undefined/false (no fixed sleeps). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) {
        return v;
      }
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) {
      throw new Error(`eventually: timed out${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
