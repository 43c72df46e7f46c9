/** Polling assertions for playwright-core locators (playwright's own expect lives in @playwright/test). */
import type { Locator } from 'playwright-core';

async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeout = 15_000): Promise<T> {
  const end = Date.now() + timeout;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // element not there yet
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the locator's text contains `text`. */
export const waitText = (loc: Locator, text: string, timeout?: number) =>
  poll(
    () => loc.first().textContent({ timeout: 1000 }),
    (t) => !!t && t.includes(text),
    `text "${text}" in ${loc}`,
    timeout,
  );

/** Waits until an input's value is `value`. */
export const waitValue = (loc: Locator, value: string, timeout?: number) =>
  poll(
    () => loc.inputValue({ timeout: 1000 }),
    (v) => v === value,
    `value "${value}" in ${loc}`,
    timeout,
  );

/** Waits until the locator matches `n` elements. */
export const waitCount = (loc: Locator, n: number, timeout?: number) =>
  poll(
    () => loc.count(),
    (c) => c === n,
    `${n} × ${loc}`,
    timeout,
  );
