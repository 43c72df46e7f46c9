/**
 * Accessibility scans for the browser tests: axe-core injected into a playwright-core page (no
 * @axe-core/playwright needed), WCAG 2.0/2.1 A and AA plus axe's best practices, serious and critical only.
 */
import type { Page } from 'playwright-core';

/** The rule sets every scan runs: what WCAG 2.1 AA asks, and axe's best practices (landmarks, headings...). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const BLOCKING = new Set(['serious', 'critical']);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** Runs axe on the page as it is now (optionally within `include`) and returns its serious and critical violations. */
export async function axeViolations(page: Page, include?: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object'))) {
    await page.addScriptTag({ path: AXE_PATH });
  }
  const all = await page.evaluate(
    async ({ tags, include }) => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary })),
      }));
    },
    { tags: AXE_TAGS, include },
  );
  return all.filter((v) => v.impact !== null && BLOCKING.has(v.impact));
}

/** A readable list: rule, impact, what it asks, and each offending element (selector, markup, why). */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map(
          (n) =>
            `    - ${n.target.join(' ')}\n      ${n.html.slice(0, 300)}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`,
        )
        .join('\n');
      return `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
}

/** Fails with the readable list when the page (or `include`) has any serious or critical violation. */
export async function expectNoSeriousViolations(page: Page, where: string, include?: string): Promise<void> {
  const violations = await axeViolations(page, include);
  if (violations.length > 0) {
    throw new Error(`${where}: ${violations.length} serious/critical accessibility violation(s)\n${formatViolations(violations)}`);
  }
}
