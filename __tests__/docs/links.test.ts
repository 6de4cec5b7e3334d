// Every relative link and every repository path written as code in the docs points at something that
// exists: a file or folder of this repository (placeholders such as <env> and * match any name), and,
// for a link with #anchor, a heading of the page it names. README.md is read, not owned, here.
import * as fs from 'fs';
import * as path from 'path';
import { ALL_DOCS, codeSpans, headingAnchors, linkTargets, ROOT, readDoc, repositoryFiles } from './markdown';

const FILES = repositoryFiles();
const ENTRIES = new Set(FILES.map((f) => f.split('/')[0]!));
const DIRS = new Set(
  FILES.flatMap((f) =>
    f
      .split('/')
      .slice(0, -1)
      .map((_s, i, parts) => parts.slice(0, i + 1).join('/')),
  ),
);

/**
 * Code spans that name a file of another repository, which the sentence around them names: they
 * begin like a folder of this one, but are not its paths.
 */
const ELSEWHERE: Readonly<Record<string, readonly string[]>> = {
  'docs/verifier.md': [
    'charts/ingress-nginx/values.yaml:526-528', // kubernetes/ingress-nginx
    'docs/guide/service/annotations.md', // kubernetes-sigs/aws-load-balancer-controller
    'docs/guide/service/nlb.md', // kubernetes-sigs/aws-load-balancer-controller
    'charts/aws-vpc-cni/values.yaml:126', // aws/amazon-vpc-cni-k8s
    'docs/BestPractices.md', // nodejs/docker-node
    'docs/resources/…', // hashicorp/terraform-provider-kubernetes
  ],
};

/** `environments/<env>.yaml`, `verifier/*.js`: a pattern of one path segment per placeholder or star. */
function matcher(p: string): RegExp {
  const parts = p.split(/(<[^>]+>|\*|…)/);
  const source = parts.map((part, i) => (i % 2 === 1 ? (part === '…' ? '.*' : '[^/]+') : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${source.join('')}$`);
}

function exists(p: string): boolean {
  const wanted = p.replace(/\/$/, '');
  if (!/[<*…]/.test(wanted)) return FILES.includes(wanted) || DIRS.has(wanted);
  const re = matcher(wanted);
  return FILES.some((f) => re.test(f)) || [...DIRS].some((d) => re.test(d));
}

/** The repository paths a doc writes as code: each word of a span that begins with a top-level entry of the repository. */
function repositoryPaths(doc: string): string[] {
  const elsewhere = ELSEWHERE[doc] ?? [];
  return codeSpans(readDoc(doc))
    .flatMap((span) => span.split(/\s+/))
    .filter((p) => ENTRIES.has(p.split('/')[0]!) && (p.includes('/') || FILES.includes(p)) && !elsewhere.includes(p))
    .map((p) => p.replace(/:\d+(-\d+)?$/, '').replace(/[.,;:)]$/, ''));
}

describe.each(ALL_DOCS)('%s', (doc) => {
  const dir = path.dirname(doc);

  test('every relative link names a file of the repository, and a heading there when it has an anchor', () => {
    const broken = linkTargets(readDoc(doc))
      .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t))
      .filter((target) => {
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const rel = file === '' ? doc : path.posix.normalize(path.posix.join(dir, file));
        if (!exists(rel)) return true;
        return anchor !== undefined && rel.endsWith('.md') && !headingAnchors(readDoc(rel)).has(anchor);
      });
    // THEN nothing is left over
    expect(broken).toEqual([]);
  });

  test('every repository path written as code exists', () => {
    expect(repositoryPaths(doc).filter((p) => !exists(p))).toEqual([]);
  });
});

describe('paths of other repositories', () => {
  test.each(Object.entries(ELSEWHERE))('%s still names each, and none is a path of this repository', (doc, paths) => {
    const spans = codeSpans(readDoc(doc));
    expect(paths.filter((p) => !spans.includes(p))).toEqual([]);
    expect(paths.filter((p) => fs.existsSync(path.join(ROOT, p.replace(/:\d+(-\d+)?$/, ''))))).toEqual([]);
  });
});

test('the checks find what they look for (no test passes on an empty list)', () => {
  // GIVEN the docs WHEN their links and paths are collected THEN there are plenty of both
  expect(ALL_DOCS.flatMap((d) => linkTargets(readDoc(d))).length).toBeGreaterThan(20);
  expect(ALL_DOCS.flatMap(repositoryPaths).length).toBeGreaterThan(50);
  expect(exists('environments/<env>.yaml')).toBe(true);
  expect(exists('modules/quotas.ts')).toBe(false);
  expect(headingAnchors('## Test time (`npm test`)\n## [0.2.0] - 2026-12-06\n## A\n## A\n')).toEqual(
    new Set(['test-time-npm-test', '020---2026-12-06', 'a', 'a-1']),
  );
});
