// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../check.ts';
import { createFixture, publicManifest, type Fixture } from '../testing/fixture.ts';
import { runFmt } from './fmt.ts';
import { runLicense } from './license.ts';
import { runLint } from './lint.ts';
import { runStyle } from './style.ts';

const SPAWNER = "export const spawnerName = 'spawner';\n";
const VMM_CORE =
  "import { spawnerName } from '@kindling/spawner';\n\nexport const coreName = `${spawnerName}-core`;\n";

let fixture: Fixture;

beforeEach(async () => {
  fixture = await createFixture();
  await fixture.addPackage('spawner', SPAWNER);
  await fixture.addPackage('vmm-core', VMM_CORE, { '@kindling/spawner': 'workspace:^' });
});

afterEach(async () => {
  await fixture.dispose();
});

const files = (result: CheckResult): string[] => result.problems.map((problem) => problem.file);
const messages = (result: CheckResult): string =>
  result.problems.map((problem) => problem.message).join('\n');

describe('a clean workspace', () => {
  it('passes every check', async () => {
    const context = { root: fixture.root, strict: true };
    for (const result of await Promise.all([
      runLint(context),
      runFmt(context),
      runLicense(context),
      runStyle(context),
    ])) {
      expect(result.problems, result.name).toEqual([]);
      expect(result.ok, result.name).toBe(true);
    }
  });
});

describe('license', () => {
  it('fails on a missing header, naming the file and the line that differs', async () => {
    await fixture.write('packages/spawner/src/extra.ts', 'export const extra = 1;\n');
    const result = await runLicense({ root: fixture.root });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ file: 'packages/spawner/src/extra.ts', line: 1 }),
    ]);
    expect(messages(result)).toContain('SPDX-License-Identifier: Apache-2.0');
  });

  it('fails on a wrong copyright line and reads headers after a shebang', async () => {
    await fixture.write(
      'tooling/run.sh',
      '#!/bin/sh\n# SPDX-License-Identifier: Apache-2.0\n# Copyright 2026 Someone Else\n',
    );
    await fixture.write('xtask/src/ok.ts', fixture.withHeader('export const ok = 1;\n'));
    const result = await runLicense({ root: fixture.root });
    expect(result.problems).toEqual([expect.objectContaining({ file: 'tooling/run.sh', line: 3 })]);
  });

  it('ignores files outside the include globs', async () => {
    await fixture.write('packages/spawner/notes.md', 'no header here\n');
    expect((await runLicense({ root: fixture.root })).ok).toBe(true);
  });
});

describe('style: the chain', () => {
  it('fails on an upward import', async () => {
    await fixture.write(
      'packages/spawner/src/up.ts',
      fixture.withHeader("export { coreName } from '@kindling/vmm-core';\n"),
    );
    const result = await runStyle({ root: fixture.root });
    expect(result.ok).toBe(false);
    expect(files(result)).toContain('packages/spawner/src/up.ts');
    expect(messages(result)).toMatch(/not below @kindling\/spawner/u);
  });

  it('fails on an undeclared @kindling import', async () => {
    await fixture.addPackage('executor', "export { spawnerName } from '@kindling/spawner';\n");
    const result = await runStyle({ root: fixture.root });
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'packages/executor/src/index.ts',
        message: expect.stringMatching(/does not declare/u),
      }),
    ]);
  });

  it('fails when an extension imports another extension', async () => {
    await fixture.addPackage('ext-metrics', 'export const metrics = 1;\n');
    await fixture.addPackage(
      'ext-http-vsock',
      "export { metrics } from '@kindling/ext-metrics';\n",
      {
        '@kindling/ext-metrics': 'workspace:^',
      },
    );
    const result = await runStyle({ root: fixture.root });
    expect(messages(result)).toMatch(/extensions never import one another/u);
  });

  it('lets tests, and only tests, import the fake VMM', async () => {
    await fixture.addPackage('fake-vmm', "export { coreName } from '@kindling/vmm-core';\n", {
      '@kindling/vmm-core': 'workspace:^',
    });
    await fixture.addPackage('executor', 'export const executor = 1;\n');
    await fixture.write(
      'packages/executor/test/run.test.ts',
      fixture.withHeader(
        "import { coreName } from '@kindling/fake-vmm';\n\nexport const name = coreName;\n",
      ),
    );
    expect(messages(await runStyle({ root: fixture.root }))).toMatch(/does not declare/u);
    await fixture.write(
      'packages/executor/src/leak.ts',
      fixture.withHeader("export { coreName } from '@kindling/fake-vmm';\n"),
    );
    const result = await runStyle({ root: fixture.root });
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        file: 'packages/executor/src/leak.ts',
        message: expect.stringMatching(/only tests/u),
      }),
    );
  });

  it('lets any package, the fake VMM included, ship the exec agent, which imports no layer', async () => {
    await fixture.addPackage('exec-agent', "export const agent = 'agent';\n");
    await fixture.addPackage(
      'fake-vmm',
      "export { agent } from '@kindling/exec-agent';\nexport { coreName } from '@kindling/vmm-core';\n",
      { '@kindling/exec-agent': 'workspace:^', '@kindling/vmm-core': 'workspace:^' },
    );
    await fixture.addPackage('executor', "export { agent } from '@kindling/exec-agent';\n", {
      '@kindling/exec-agent': 'workspace:^',
    });
    expect((await runStyle({ root: fixture.root })).problems).toEqual([]);

    // The agent runs in a guest on Node alone: a layer below it would not be there.
    await fixture.write(
      'packages/exec-agent/src/layer.ts',
      fixture.withHeader("export { spawnerName } from '@kindling/spawner';\n"),
    );
    await setManifest('exec-agent', {}, { '@kindling/spawner': 'workspace:^' });
    expect((await runStyle({ root: fixture.root })).problems).toEqual([
      expect.objectContaining({
        file: 'packages/exec-agent/src/layer.ts',
        message: expect.stringMatching(
          /imports @kindling\/spawner, which is not below @kindling\/exec-agent/u,
        ),
      }),
    ]);
  });

  it('lets an app run the fake VMM (the CLI demo without KVM), but not the test utilities', async () => {
    await fixture.addPackage('fake-vmm', "export { coreName } from '@kindling/vmm-core';\n", {
      '@kindling/vmm-core': 'workspace:^',
    });
    await fixture.addPackage('test-utils', "export const tempDir = 'tmp';\n");
    await fixture.addPackage(
      'cli',
      "export { coreName } from '@kindling/fake-vmm';\nexport { tempDir } from '@kindling/test-utils';\n",
      { '@kindling/fake-vmm': 'workspace:^', '@kindling/test-utils': 'workspace:^' },
    );
    const cliProblems = (await runStyle({ root: fixture.root })).problems.filter(
      (problem) => problem.file === 'packages/cli/src/index.ts',
    );
    expect(cliProblems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/imports @kindling\/test-utils, which only tests may import/u),
    ]);
  });
});

// Rewrites a package's manifest with these extra fields (devDependencies, peerDependencies, …).
const setManifest = async (
  name: string,
  fields: Record<string, unknown>,
  dependencies: Record<string, string> = {},
): Promise<void> => {
  await fixture.write(
    `packages/${name}/package.json`,
    `${JSON.stringify({ ...publicManifest(name, dependencies), ...fields }, null, 2)}\n`,
  );
};

describe('style: roles', () => {
  const VM = "export const vm = 'vm';\n";

  it('needs an extension to take @kindling/vm as a peer and a dev dependency', async () => {
    await fixture.addPackage('vm', VM);
    await fixture.addPackage('ext-metrics', "export { vm } from '@kindling/vm';\n", {
      '@kindling/vm': 'workspace:^',
    });
    const result = await runStyle({ root: fixture.root });
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'packages/ext-metrics/package.json',
        message: expect.stringMatching(/peerDependencies/u),
      }),
      expect.objectContaining({ message: expect.stringMatching(/devDependencies too/u) }),
      expect.objectContaining({ message: expect.stringMatching(/not a dependency/u) }),
    ]);
    await setManifest('ext-metrics', {
      peerDependencies: { '@kindling/vm': 'workspace:^' },
      devDependencies: { '@kindling/vm': 'workspace:^' },
    });
    expect((await runStyle({ root: fixture.root })).problems).toEqual([]);
  });

  it('lets apps import extensions, and nothing else import an app', async () => {
    await fixture.addPackage('ext-metrics', 'export const metrics = 1;\n');
    await setManifest('ext-metrics', {
      peerDependencies: { '@kindling/vm': 'workspace:^' },
      devDependencies: { '@kindling/vm': 'workspace:^' },
    });
    await fixture.addPackage('cli', "export { metrics } from '@kindling/ext-metrics';\n", {
      '@kindling/ext-metrics': 'workspace:^',
    });
    await fixture.addPackage('server', "export { metrics } from '@kindling/ext-metrics';\n", {
      '@kindling/ext-metrics': 'workspace:^',
    });
    expect((await runStyle({ root: fixture.root })).problems).toEqual([]);
    await fixture.write(
      'packages/ext-metrics/src/up.ts',
      fixture.withHeader("export { metrics } from '@kindling/cli';\n"),
    );
    expect(messages(await runStyle({ root: fixture.root }))).toMatch(
      /imports @kindling\/cli, which is not below @kindling\/ext-metrics/u,
    );
  });

  it('lets the CLI import the server and the client, and never the server the CLI', async () => {
    await fixture.addPackage('client', "export { coreName } from '@kindling/vmm-core';\n", {
      '@kindling/vmm-core': 'workspace:^',
    });
    await fixture.addPackage('server', 'export const serve = 1;\n');
    await fixture.addPackage(
      'cli',
      "export { serve } from '@kindling/server';\nexport { coreName } from '@kindling/client';\n",
      { '@kindling/server': 'workspace:^', '@kindling/client': 'workspace:^' },
    );
    expect((await runStyle({ root: fixture.root })).problems).toEqual([]);
    await fixture.write(
      'packages/server/src/up.ts',
      fixture.withHeader("export { serve as again } from '@kindling/cli';\n"),
    );
    await setManifest('server', {}, { '@kindling/cli': 'workspace:^' });
    expect((await runStyle({ root: fixture.root })).problems).toEqual([
      expect.objectContaining({
        file: 'packages/server/src/up.ts',
        message: expect.stringMatching(
          /imports @kindling\/cli, which is not below @kindling\/server/u,
        ),
      }),
    ]);
  });

  it("lets the client's tests run the server, and never the client's sources", async () => {
    await fixture.addPackage('client', "export { coreName } from '@kindling/vmm-core';\n", {
      '@kindling/vmm-core': 'workspace:^',
    });
    await fixture.addPackage('server', 'export const serve = 1;\n');
    await setManifest(
      'client',
      { devDependencies: { '@kindling/server': 'workspace:^' } },
      { '@kindling/vmm-core': 'workspace:^' },
    );
    await fixture.write(
      'packages/client/test/contract.int.test.ts',
      fixture.withHeader("export { serve } from '@kindling/server';\n"),
    );
    expect((await runStyle({ root: fixture.root })).problems).toEqual([]);
    await fixture.write(
      'packages/client/src/serve.ts',
      fixture.withHeader("export { serve } from '@kindling/server';\n"),
    );
    expect((await runStyle({ root: fixture.root })).problems).toEqual([
      expect.objectContaining({
        file: 'packages/client/src/serve.ts',
        message: expect.stringMatching(/depends only on @kindling\/vmm-core/u),
      }),
      expect.objectContaining({
        file: 'packages/client/src/serve.ts',
        message: expect.stringMatching(/does not declare in its dependencies/u),
      }),
    ]);
  });

  it('keeps client to vmm-core, and only apps import client', async () => {
    await fixture.addPackage('client', "export { coreName } from '@kindling/vmm-core';\n", {
      '@kindling/vmm-core': 'workspace:^',
    });
    await fixture.addPackage('server', "export { coreName } from '@kindling/client';\n", {
      '@kindling/client': 'workspace:^',
    });
    expect((await runStyle({ root: fixture.root })).problems).toEqual([]);
    await fixture.write(
      'packages/client/src/spawn.ts',
      fixture.withHeader("export { spawnerName } from '@kindling/spawner';\n"),
    );
    await setManifest(
      'client',
      {},
      {
        '@kindling/vmm-core': 'workspace:^',
        '@kindling/spawner': 'workspace:^',
      },
    );
    await fixture.addPackage('executor', "export { coreName } from '@kindling/client';\n", {
      '@kindling/client': 'workspace:^',
    });
    const result = await runStyle({ root: fixture.root });
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'packages/client/src/spawn.ts',
        message: expect.stringMatching(/depends only on @kindling\/vmm-core/u),
      }),
      expect.objectContaining({
        file: 'packages/executor/src/index.ts',
        message: expect.stringMatching(/only apps may import/u),
      }),
    ]);
  });

  it('needs the helpers as a bundled dev dependency, and test utilities only in tests', async () => {
    await fixture.write(
      'packages/helpers/package.json',
      JSON.stringify({ name: '@kindling/helpers', private: true, type: 'module' }),
    );
    await fixture.write(
      'packages/helpers/src/index.ts',
      fixture.withHeader('export const h = 1;\n'),
    );
    await fixture.write(
      'packages/test-utils/package.json',
      JSON.stringify({ name: '@kindling/test-utils', private: true, type: 'module' }),
    );
    await fixture.write(
      'packages/test-utils/src/index.ts',
      fixture.withHeader('export const t = 1;\n'),
    );
    await fixture.write(
      'packages/executor/src/uses.ts',
      fixture.withHeader(
        "export { h } from '@kindling/helpers';\nexport { t } from '@kindling/test-utils';\n",
      ),
    );
    await fixture.addPackage('executor', 'export const executor = 1;\n', {
      '@kindling/helpers': 'workspace:*',
    });
    const result = await runStyle({ root: fixture.root });
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'packages/executor/package.json',
        message: expect.stringMatching(/@kindling\/helpers is private/u),
      }),
      expect.objectContaining({
        file: 'packages/executor/src/uses.ts',
        message: expect.stringMatching(/must list in its devDependencies/u),
      }),
      expect.objectContaining({
        file: 'packages/executor/src/uses.ts',
        message: expect.stringMatching(/test-utils, which only tests may import/u),
      }),
      expect.objectContaining({ message: expect.stringMatching(/does not declare/u) }),
      expect.objectContaining({
        file: 'packages/executor/tsup.config.ts',
        message: expect.stringMatching(/bundled/u),
      }),
    ]);
  });

  it("lets an extension's tests use the VM test harness as a dev dependency, and vm not at all", async () => {
    await fixture.write(
      'packages/test-vm/package.json',
      JSON.stringify({
        name: '@kindling/test-vm',
        private: true,
        type: 'module',
        dependencies: { '@kindling/test-utils': 'workspace:*' },
      }),
    );
    await fixture.write(
      'packages/test-vm/src/index.ts',
      fixture.withHeader('export const v = 1;\n'),
    );
    await fixture.addPackage('vm', VM);
    await fixture.addPackage('ext-metrics', 'export const metrics = 1;\n');
    await setManifest('ext-metrics', {
      peerDependencies: { '@kindling/vm': 'workspace:^' },
      devDependencies: { '@kindling/vm': 'workspace:^', '@kindling/test-vm': 'workspace:*' },
    });
    await fixture.write(
      'packages/ext-metrics/test/uses.int.test.ts',
      fixture.withHeader("export { v } from '@kindling/test-vm';\n"),
    );
    expect((await runStyle({ root: fixture.root })).problems).toEqual([]);

    // Outside tests, as a runtime dependency, or from vm (whose harness it builds on): refused.
    await fixture.write(
      'packages/ext-metrics/src/uses.ts',
      fixture.withHeader("export { v } from '@kindling/test-vm';\n"),
    );
    await setManifest(
      'vm',
      { devDependencies: { '@kindling/test-vm': 'workspace:*' } },
      { '@kindling/test-vm': 'workspace:*' },
    );
    await fixture.write(
      'packages/vm/test/uses.int.test.ts',
      fixture.withHeader("export { v } from '@kindling/test-vm';\n"),
    );
    expect((await runStyle({ root: fixture.root })).problems).toEqual([
      expect.objectContaining({
        file: 'packages/ext-metrics/src/uses.ts',
        message: expect.stringMatching(/test-vm, which only tests may import/u),
      }),
      expect.objectContaining({ message: expect.stringMatching(/does not declare/u) }),
      expect.objectContaining({
        file: 'packages/vm/package.json',
        message: expect.stringMatching(/@kindling\/test-vm is private/u),
      }),
      expect.objectContaining({
        file: 'packages/vm/test/uses.int.test.ts',
        message: expect.stringMatching(/test-vm, which is not below @kindling\/vm/u),
      }),
    ]);
  });
});

// A root README whose error-code table has these rows.
const table = (rows: string): string =>
  `# Kindling\n\n## Error codes\n\n| code | meaning | raised by | what to do |\n| --- | --- | --- | --- |\n${rows}\n## Next\n`;

// The examples package, using two extensions (and the fakes, in its tests).
const writeExamples = async (): Promise<void> => {
  for (const [name, source] of [
    ['ext-metrics', 'export const metrics = 1;\n'],
    ['ext-http-vsock', 'export const http = 1;\n'],
  ] as const) {
    await fixture.addPackage(name, source);
    await setManifest(name, {
      peerDependencies: { '@kindling/vm': 'workspace:^' },
      devDependencies: { '@kindling/vm': 'workspace:^' },
    });
  }
  await fixture.write(
    'examples/package.json',
    `${JSON.stringify(
      {
        name: '@kindling/examples',
        private: true,
        type: 'module',
        dependencies: {
          '@kindling/ext-http-vsock': 'workspace:^',
          '@kindling/ext-metrics': 'workspace:^',
        },
        devDependencies: { '@kindling/fake-vmm': 'workspace:^' },
      },
      null,
      2,
    )}\n`,
  );
  await fixture.write(
    'examples/tsconfig.json',
    '{\n  "extends": "../tooling/tsconfig.base.json",\n  "include": ["*.ts", "test"]\n}\n',
  );
};

describe('style: the examples package', () => {
  it('lets an example use several extensions and print, and its tests the fakes', async () => {
    await writeExamples();
    await fixture.write(
      'examples/both.ts',
      fixture.withHeader(
        "import { http } from '@kindling/ext-http-vsock';\nimport { metrics } from '@kindling/ext-metrics';\n\nconsole.log(http, metrics);\n",
      ),
    );
    await fixture.write(
      'examples/test/both.int.test.ts',
      fixture.withHeader("export { FAKE } from '@kindling/fake-vmm';\n"),
    );
    const context = { root: fixture.root, strict: true };
    for (const result of [
      await runStyle(context),
      await runLicense(context),
      await runLint(context),
    ]) {
      expect(result.problems, result.name).toEqual([]);
    }
  });

  it('checks the examples as it checks packages: chain, declarations and headers', async () => {
    await writeExamples();
    await fixture.write(
      'examples/fake.ts',
      "export { FAKE } from '@kindling/fake-vmm';\nexport { s } from '@kindling/spawner';\nexport { t } from '@kindling/test-utils';\n",
    );
    expect((await runStyle({ root: fixture.root })).problems).toEqual([
      // An app may run the fake VMM (the CLI's demo), but a dev dependency is for its tests only.
      expect.objectContaining({
        file: 'examples/fake.ts',
        message: expect.stringMatching(
          /@kindling\/fake-vmm, which examples\/package.json does not declare/u,
        ),
      }),
      expect.objectContaining({
        file: 'examples/fake.ts',
        message: expect.stringMatching(
          /@kindling\/spawner, which examples\/package.json does not declare/u,
        ),
      }),
      expect.objectContaining({
        file: 'examples/fake.ts',
        message: expect.stringMatching(/test-utils, which only tests may import/u),
      }),
      expect.objectContaining({
        file: 'examples/fake.ts',
        message: expect.stringMatching(
          /@kindling\/test-utils, which examples\/package.json does not declare/u,
        ),
      }),
    ]);
    expect(files(await runLicense({ root: fixture.root }))).toEqual(['examples/fake.ts']);
  });
});

describe('style: index files and error codes', () => {
  const ERRORS = "export type SpawnErrorCode =\n  | 'ERR_INVALID_INPUT'\n  | 'ERR_SPAWN_FAILED';\n";

  it('rejects export * in an index.ts', async () => {
    await fixture.write(
      'packages/spawner/src/index.ts',
      fixture.withHeader("export * from './names.js';\n"),
    );
    await fixture.write('packages/spawner/src/names.ts', fixture.withHeader(SPAWNER));
    expect((await runStyle({ root: fixture.root })).problems).toEqual([
      expect.objectContaining({
        file: 'packages/spawner/src/index.ts',
        line: 4,
        message: expect.stringMatching(/export \*/u),
      }),
    ]);
  });

  it('needs every code of an *ErrorCode union in the table, with the packages that raise it', async () => {
    await fixture.write('packages/spawner/src/spawn-error.ts', fixture.withHeader(ERRORS));
    expect(messages(await runStyle({ root: fixture.root }))).toMatch(/needs a "## Error codes"/u);
    await fixture.write(
      'README.md',
      table(
        [
          '| `ERR_INVALID_INPUT` | bad input | `spawner`, `vmm-core` | fix it |',
          '| `ERR_GONE` | nobody raises it | `spawner` | nothing |',
        ].join('\n'),
      ),
    );
    const result = await runStyle({ root: fixture.root });
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'README.md',
        line: 7,
        message: expect.stringMatching(
          /ERR_INVALID_INPUT is raised by `spawner`, but the table says/u,
        ),
      }),
      expect.objectContaining({
        line: 8,
        message: expect.stringMatching(/ERR_GONE is in the table, but no package/u),
      }),
      expect.objectContaining({
        message: expect.stringMatching(/ERR_SPAWN_FAILED \(raised by spawner\) is missing/u),
      }),
    ]);
    await fixture.write(
      'README.md',
      table(
        [
          '| `ERR_INVALID_INPUT` | bad input | `spawner` | fix it |',
          '| `ERR_SPAWN_FAILED` | no start | `spawner` | check the path |',
        ].join('\n'),
      ),
    );
    expect((await runStyle({ root: fixture.root })).problems).toEqual([]);
  });
});

describe('style: packages and sources', () => {
  it('names every broken package.json convention', async () => {
    await fixture.write(
      'packages/spawner/package.json',
      JSON.stringify({ name: '@kindling/spawner', version: '0.0.0', exports: './dist/index.js' }),
    );
    const result = await runStyle({ root: fixture.root });
    expect(new Set(files(result))).toEqual(new Set(['packages/spawner/package.json']));
    for (const field of [
      '"type"',
      '"files"',
      '"sideEffects"',
      '"engines"',
      '"license"',
      'repository.directory',
      'publishConfig.access',
      '"exports"',
    ]) {
      expect(messages(result)).toContain(field);
    }
  });

  it('needs a README per public package', async () => {
    await fixture.write('packages/spawner/README.md', '');
    const { rm } = await import('node:fs/promises');
    await rm(`${fixture.root}/packages/spawner/README.md`);
    expect(files(await runStyle({ root: fixture.root }))).toEqual(['packages/spawner/README.md']);
  });

  it('needs tests named *.test.ts', async () => {
    await fixture.write(
      'packages/spawner/src/spawn.spec.ts',
      fixture.withHeader("import { it } from 'vitest';\n\nit('runs', () => {});\n"),
    );
    expect(files(await runStyle({ root: fixture.root }))).toEqual([
      'packages/spawner/src/spawn.spec.ts',
    ]);
  });

  it('needs tests in test/ that spawn processes named *.int.test.ts, and only there', async () => {
    const spawning = fixture.withHeader(
      "import { spawn } from 'node:child_process';\nimport { it } from 'vitest';\n\nit('spawns', () => {\n  spawn('true');\n});\n",
    );
    await fixture.write('packages/spawner/test/run.test.ts', spawning);
    await fixture.write('packages/spawner/test/ok.int.test.ts', spawning);
    await fixture.write('packages/spawner/src/misplaced.int.test.ts', spawning);
    const result = await runStyle({ root: fixture.root });
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'packages/spawner/src/misplaced.int.test.ts',
        message: expect.stringMatching(/live in test\//u),
      }),
      expect.objectContaining({
        file: 'packages/spawner/test/run.test.ts',
        message: expect.stringMatching(/name it \*\.int\.test\.ts/u),
      }),
    ]);
  });

  it('rejects default exports and console output in package sources, not in tests', async () => {
    await fixture.write(
      'packages/spawner/src/bad.ts',
      fixture.withHeader('const value = 1;\nconsole.log(value);\nexport default value;\n'),
    );
    await fixture.write(
      'packages/spawner/src/bad.test.ts',
      fixture.withHeader(
        "import { it } from 'vitest';\n\nit('logs', () => {\n  console.log('fine in tests');\n});\n",
      ),
    );
    const result = await runStyle({ root: fixture.root });
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'packages/spawner/src/bad.ts',
        line: 6,
        message: expect.stringMatching(/default export/u),
      }),
      expect.objectContaining({
        file: 'packages/spawner/src/bad.ts',
        line: 5,
        message: expect.stringMatching(/console/u),
      }),
    ]);
  });
});

describe('lint', () => {
  it('fails on a lint error, naming the file', async () => {
    await fixture.write(
      'packages/spawner/src/loose.ts',
      fixture.withHeader(
        'export const isOne = (value: unknown): boolean => {\n  debugger;\n  return value === 1;\n};\n',
      ),
    );
    const result = await runLint({ root: fixture.root });
    expect(result.ok).toBe(false);
    expect(files(result)).toContain('packages/spawner/src/loose.ts');
  });

  it('fails on a type-aware rule (a floating promise)', async () => {
    await fixture.write(
      'packages/spawner/src/floating.ts',
      fixture.withHeader(
        'const work = async (): Promise<void> => {};\n\nexport const start = (): void => {\n  work();\n};\n',
      ),
    );
    const result = await runLint({ root: fixture.root });
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        file: 'packages/spawner/src/floating.ts',
        message: expect.stringMatching(/no-floating-promises/u),
      }),
    );
  });
});

describe('fmt', () => {
  it('fails on a formatting error, naming the file', async () => {
    await fixture.write(
      'packages/spawner/src/ugly.ts',
      fixture.withHeader('export   const ugly = {a:1};\n'),
    );
    const result = await runFmt({ root: fixture.root });
    expect(result.ok).toBe(false);
    expect(files(result)).toEqual(['packages/spawner/src/ugly.ts']);
  });

  it('formats in place with write', async () => {
    await fixture.write(
      'packages/spawner/src/ugly.ts',
      fixture.withHeader('export   const ugly = {a:1};\n'),
    );
    expect((await runFmt({ root: fixture.root, write: true })).ok).toBe(true);
    expect((await runFmt({ root: fixture.root })).ok).toBe(true);
  });
});
