import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

// Runs inside the page (a string, since the test code is compiled without the DOM's types).
const RUN_AXE = `(async () => {
  const results = await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
})()`;

/**
 * Runs axe-core (WCAG 2.1 A and AA rules: labels, names, contrast, landmarks, ARIA) on the page as
 * it stands and returns the serious and critical violations.
 */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, which the pages' CSP (no inline scripts) does not govern.
  await page.evaluate(axeSource);
  return page.evaluate<Violation[]>(RUN_AXE);
}
