// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What a published tarball may hold and which metadata it must carry. Source maps are intended:
// tsup writes them with `sourcesContent`, so `node --enable-source-maps` points a user's stack
// trace at the TypeScript of the very version they run, without shipping `src/`.

const UNWANTED: readonly [RegExp, string][] = [
  [/(^|\/)(test|tests|__tests__|bench)\//u, 'a test or bench folder'],
  [/(^|\/)(fixtures?|__fixtures__)\//u, 'a fixture'],
  [/\.(test|spec|bench)\.[cm]?[jt]sx?$/u, 'a test file'],
  [/(^|\/)src\//u, 'a source folder (the build is in dist/)'],
  [/(?<!\.d)\.[cm]?ts$/u, 'a TypeScript source (only .d.ts is published)'],
  [
    /(^|\/)(tsconfig[^/]*\.json|tsup\.config\.ts|vitest\.config\.ts|turbo\.json)$/u,
    'a build config',
  ],
  [/\.tsbuildinfo$|(^|\/)\.turbo\//u, 'a build cache'],
];

/** The files of a tarball (paths inside `package/`) that must not be published, with why. */
export const unwantedFiles = (files: readonly string[]): string[] =>
  files.flatMap((file) => {
    const rule = UNWANTED.find(([pattern]) => pattern.test(file));
    return rule === undefined ? [] : [`${file}: ${rule[1]}`];
  });

/** A source map whose sources are not all embedded is useless without `src/`: a problem. */
export const mapProblem = (file: string, map: unknown): string | undefined => {
  const { sources, sourcesContent } = (map ?? {}) as {
    sources?: unknown[];
    sourcesContent?: unknown[];
  };
  const complete =
    Array.isArray(sources) &&
    Array.isArray(sourcesContent) &&
    sources.length === sourcesContent.length &&
    sourcesContent.every((content) => typeof content === 'string');
  return complete ? undefined : `${file}: a source map without every source embedded`;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The provenance-ready metadata of a published package.json: repository (url and directory, the
 * link provenance attests), license, files, exports with types, engines, publishConfig, and no
 * range left in the workspace's own protocols.
 */
export const metadataProblems = (manifest: Record<string, unknown>): string[] => {
  const repository = manifest['repository'];
  const exportsField = manifest['exports'];
  const main = isRecord(exportsField) ? exportsField['.'] : undefined;
  const engines = manifest['engines'];
  const publishConfig = manifest['publishConfig'];
  const rules: [boolean, string][] = [
    [
      isRecord(repository) &&
        typeof repository['url'] === 'string' &&
        typeof repository['directory'] === 'string',
      'no "repository" with "url" and "directory"',
    ],
    [typeof manifest['license'] === 'string', 'no "license"'],
    [Array.isArray(manifest['files']), 'no "files"'],
    [isRecord(main) && typeof main['types'] === 'string', 'no "exports"["."].types'],
    [isRecord(engines) && typeof engines['node'] === 'string', 'no "engines".node'],
    [isRecord(publishConfig) && publishConfig['access'] === 'public', 'no publishConfig.access'],
  ];
  const problems = rules.filter(([ok]) => !ok).map(([, message]) => message);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
      if (/^(workspace|catalog|link|file):/u.test(range)) {
        problems.push(`${field}.${name} is "${range}": a range only the workspace understands`);
      }
    }
  }
  return problems;
};
