// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const HEADER = '// SPDX-License-Identifier: Apache-2.0\n// Copyright 2026 The Kindling Authors\n';

// The repository's own configuration, so the fixture is checked exactly as the repository is.
const CONFIG_FILES = [
  '.oxlintrc.json',
  '.prettierrc.json',
  '.prettierignore',
  'pnpm-workspace.yaml',
  'tooling/license-header.json',
  'tooling/tsconfig.base.json',
];

/** A package.json that follows every convention for a public package in `packages/<name>`. */
export const publicManifest = (name: string, dependencies: Record<string, string> = {}) => ({
  name: `@kindling/${name}`,
  version: '0.0.0',
  license: 'Apache-2.0',
  type: 'module',
  exports: {
    '.': { types: './dist/index.d.ts', import: './dist/index.js' },
    './package.json': './package.json',
  },
  files: ['dist'],
  sideEffects: false,
  engines: { node: '>=22.19' },
  repository: {
    type: 'git',
    url: 'git+https://example.invalid/kindling.git',
    directory: `packages/${name}`,
  },
  publishConfig: { access: 'public' },
  dependencies,
});

/** A temporary workspace shaped like the repository, clean under every check until a test plants a violation. */
export interface Fixture {
  readonly root: string;
  /** Writes a file (relative to the root), creating its folders. */
  write(file: string, text: string): Promise<void>;
  /** Adds a clean public package with a README, a tsconfig and `src/index.ts` holding `source`. */
  addPackage(name: string, source: string, dependencies?: Record<string, string>): Promise<void>;
  /** Prefixes the license header to a source text. */
  withHeader(text: string): string;
  dispose(): Promise<void>;
}

export const createFixture = async (): Promise<Fixture> => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'kindling-xtask-'));
  for (const file of CONFIG_FILES) {
    await cp(path.join(REPO_ROOT, file), path.join(root, file), { recursive: true });
  }
  // The tools and @types/node resolve from the fixture as they do from the repository.
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const write = async (file: string, text: string): Promise<void> => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  };
  const fixture: Fixture = {
    root,
    write,
    withHeader: (text) => `${HEADER}\n${text}`,
    async addPackage(name, source, dependencies = {}) {
      const dir = `packages/${name}`;
      await write(
        `${dir}/package.json`,
        `${JSON.stringify(publicManifest(name, dependencies), null, 2)}\n`,
      );
      await write(`${dir}/README.md`, `# @kindling/${name}\n`);
      await write(
        `${dir}/tsconfig.json`,
        '{\n  "extends": "../../tooling/tsconfig.base.json",\n  "include": ["src"]\n}\n',
      );
      await write(`${dir}/src/index.ts`, fixture.withHeader(source));
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
  return fixture;
};
