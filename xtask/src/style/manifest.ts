// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Problem } from '../check.ts';
import type { WorkspacePackage } from '../workspace.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The `exports` map of a public package: `.` with the `types` condition first, and `./package.json`.
const checkExports = (exportsField: unknown): string | undefined => {
  if (!isRecord(exportsField)) {
    return 'needs an "exports" map (`".": { "types": …, "import": … }` and `"./package.json"`)';
  }
  const main = exportsField['.'];
  if (!isRecord(main) || Object.keys(main)[0] !== 'types') {
    return 'needs "exports"["."] to be an object whose first condition is "types"';
  }
  if (exportsField['./package.json'] !== './package.json') {
    return 'needs "exports"["./package.json"]: "./package.json"';
  }
  return undefined;
};

/** The package.json conventions every public `@kindling/*` package follows. */
export const checkManifest = (pkg: WorkspacePackage): Problem[] => {
  const { manifest, dir } = pkg;
  const file = `${dir}/package.json`;
  const folder = dir.split('/').at(-1) ?? dir;
  const rules: [boolean, string][] = [
    [manifest.name === `@kindling/${folder}`, `"name" must be "@kindling/${folder}"`],
    [manifest.type === 'module', '"type" must be "module"'],
    [
      Array.isArray(manifest.files) && manifest.files.length > 0,
      'needs a "files" list (e.g. ["dist"])',
    ],
    [manifest.sideEffects === false, '"sideEffects" must be false'],
    [typeof manifest.engines?.node === 'string', 'needs "engines": { "node": ">=22.19" }'],
    [manifest.license === 'Apache-2.0', '"license" must be "Apache-2.0"'],
    [
      isRecord(manifest.repository) && manifest.repository['directory'] === dir,
      `"repository.directory" must be "${dir}"`,
    ],
    [manifest.publishConfig?.access === 'public', '"publishConfig.access" must be "public"'],
  ];
  const problems: Problem[] = rules.filter(([ok]) => !ok).map(([, message]) => ({ file, message }));
  const exportsProblem = checkExports(manifest.exports);
  if (exportsProblem !== undefined) {
    problems.push({ file, message: exportsProblem });
  }
  return problems;
};
