/**
 * The project's own documents (README.md and docs/*.md) link only inside the repository: no link
 * to a shared folder beside it (`../shared/…`) or anywhere else outside, every relative link names
 * a file that exists, and every `#anchor` into a Markdown file names one of its headings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { anchors, linkTargets } from './markdown';

const ROOT = path.resolve(__dirname, '../../..');
const DOCS = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
].sort();

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
/** A URL with a scheme (https:, mailto:): not a file of the repository. */
const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/** Why a link target of `file` is broken, or null when it is fine. */
function problem(file: string, target: string): string | null {
  if (EXTERNAL.test(target))
    return /^(https?|mailto):/i.test(target) ? null : 'links outside the repository (only http(s) and mailto URLs may)';
  const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
  let rel: string;
  try {
    rel = decodeURIComponent(rawPath);
  } catch {
    return 'is not a valid URL path';
  }
  if (rel.startsWith('/')) return 'is an absolute path (use a path relative to the file)';
  const abs = rel === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), rel);
  const inside = path.relative(ROOT, abs);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return 'points outside the repository';
  if (!fs.existsSync(abs)) return `names ${inside}, which does not exist`;
  if (anchor !== undefined && abs.endsWith('.md') && !anchors(fs.readFileSync(abs, 'utf8')).has(anchor)) {
    return `names #${anchor}, which is no heading of ${inside}`;
  }
  return null;
}

describe('documentation links stay inside the repository', () => {
  test('the documents checked include README.md, docs/api.md and docs/architecture.md', () => {
    expect(DOCS).toEqual(expect.arrayContaining(['README.md', 'docs/api.md', 'docs/architecture.md']));
  });

  test.each(DOCS)('%s does not mention the shared folder beside the repository', (file) => {
    const hits = read(file)
      .split('\n')
      .flatMap((line, i) => (/\.\.\/shared\b/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
    expect(hits).toEqual([]);
  });

  test.each(DOCS)('%s: every link resolves inside the repository', (file) => {
    const broken = linkTargets(read(file)).flatMap((target) => {
      const why = problem(file, target);
      return why ? [`${file}: (${target}) ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });

  test('the checker itself catches what it must', () => {
    expect(problem('README.md', '../shared/API.md')).toMatch(/outside the repository/);
    expect(problem('docs/api.md', '../../elsewhere.md')).toMatch(/outside the repository/);
    expect(problem('README.md', 'docs/nope.md')).toMatch(/does not exist/);
    expect(problem('README.md', 'docs/api.md#no-such-heading')).toMatch(/no heading/);
    expect(problem('README.md', 'file:///etc/passwd')).toMatch(/outside the repository/);
    expect(problem('README.md', '/docs/api.md')).toMatch(/absolute path/);
    expect(problem('docs/api.md', 'deploy.md#merchant-users')).toBeNull();
    expect(problem('docs/api.md', '#errors')).toBeNull();
    expect(problem('README.md', 'https://docs.aws.amazon.com/')).toBeNull();
  });
});
