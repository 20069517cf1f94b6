// Small waits and lookups the browser tests share, on top of playwright-core (which has no
// assertion library of its own without @playwright/test).

import assert from "node:assert/strict";

/** Waits until `locator`'s text matches `pattern` (15 s at most); answers the text. */
export async function waitForText(locator, pattern, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      if (await locator.count() > 0) {
        last = (await locator.first().innerText()).trim();
        if (pattern.test(last)) return last;
      }
    } catch {
      // the element was replaced while reading: read again
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`expected text matching ${pattern}, last seen: "${last}"`);
}

/** Waits until `locator` matches no element. */
export async function waitForGone(locator, timeoutMs = 15000) {
  await locator.first().waitFor({ state: "detached", timeout: timeoutMs });
}

export const providerCard = (page, id) => page.locator(`.provider-card[data-provider="${id}"]`);
export const connectorCards = (page, id) => page.locator(`.connector-card[data-provider="${id}"]`);
export const notice = (page) => page.locator("#notices .notice");
