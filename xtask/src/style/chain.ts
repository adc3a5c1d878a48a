// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Problem } from '../check.ts';
import type { WorkspacePackage } from '../workspace.ts';
import type { ImportSite } from './source-file.ts';

/** Where a package stands in the chain; a package may import only packages of a lower rank. */
export interface Role {
  readonly rank: number;
  readonly kind: 'layer' | 'extension' | 'app' | 'client' | 'tool' | 'helpers';
  /** Tools that only tests may import (the fake VMM must never ship inside a layer). */
  readonly testOnly: boolean;
}

export const CHAIN = ['spawner', 'vmm-core', 'executor', 'process', 'vm'] as const;
const CHAIN_TEXT = `${CHAIN.join(' → ')} → ext-* → client → apps (server, then cli)`;
const SCOPE = '@kindling/';
/** The private package of small helpers: any package may import it, and bundles it. */
export const HELPERS = 'helpers';
/** The guest's exec agent and its wire protocol: below every layer, importable by all. */
export const EXEC_AGENT = 'exec-agent';
/** The fake VMM: test-only for libraries, but an app may run it (the CLI's demo without KVM). */
const FAKE_VMM = 'fake-vmm';
/** The private package of test utilities: only tests import it. */
export const TEST_UTILS = 'test-utils';
/** The private VM test harness of the extensions: only tests import it. */
export const TEST_VM = 'test-vm';
/** The private end-to-end scenarios (pnpm xtask e2e). */
export const E2E = 'e2e';
/** What `client` may import of Kindling: it talks to a server, and shares only the models. */
const CLIENT_IMPORTS: ReadonlySet<string> = new Set(['vmm-core', HELPERS]);

/** The role of a package by its short name (without the scope); undefined when it has none. */
export const roleOf = (shortName: string): Role | undefined => {
  const layer = CHAIN.indexOf(shortName as (typeof CHAIN)[number]);
  if (layer !== -1) {
    return { rank: layer, kind: 'layer', testOnly: false };
  }
  if (shortName.startsWith('ext-')) {
    return { rank: CHAIN.length, kind: 'extension', testOnly: false };
  }
  switch (shortName) {
    // Below everything: the helpers import no Kindling package, and every package may use them.
    case HELPERS:
      return { rank: -1, kind: 'helpers', testOnly: false };
    // The guest agent runs inside the VM on Node alone: it imports no Kindling package but the
    // helpers, and the host side (an extension) and the fake VMM (which serves it) import it.
    case EXEC_AGENT:
      return { rank: -0.5, kind: 'tool', testOnly: false };
    // The fake VMM emulates what vmm-core describes, and the layers above test against it.
    case 'fake-vmm':
      return { rank: 1.5, kind: 'tool', testOnly: true };
    // Test utilities build fake installations, so they sit just above the fake VMM.
    case TEST_UTILS:
      return { rank: 1.75, kind: 'tool', testOnly: true };
    // The extensions' VM test harness prepares VMs, so it sits above vm and below the extensions:
    // vm itself may not import it (vm keeps a harness of its own).
    case TEST_VM:
      return { rank: CHAIN.length - 0.5, kind: 'tool', testOnly: true };
    // The end-to-end scenarios drive VMs through the extensions, on the test harness.
    case E2E:
      return { rank: CHAIN.length + 0.5, kind: 'tool', testOnly: true };
    case 'client':
      return { rank: CHAIN.length + 1, kind: 'client', testOnly: false };
    // Apps compose extensions; they are at the top. The examples are a user's programs: the same.
    case 'server':
    case 'examples':
      return { rank: CHAIN.length + 2, kind: 'app', testOnly: false };
    // The CLI runs the server (`kindling serve`) and drives one through the client (`--server`).
    case 'cli':
      return { rank: CHAIN.length + 3, kind: 'app', testOnly: false };
    default:
      return undefined;
  }
};

/** The `@kindling/*` package an import specifier names, or undefined for anything else. */
export const kindlingPackageOf = (specifier: string): string | undefined => {
  if (!specifier.startsWith(SCOPE)) {
    return undefined;
  }
  const [name] = specifier.slice(SCOPE.length).split('/');
  return name === undefined || name === '' ? undefined : name;
};

/** Checks one file's `@kindling/*` imports against the chain and the package's manifest. */
export const checkChainImports = (
  pkg: WorkspacePackage,
  file: string,
  isTest: boolean,
  imports: readonly ImportSite[],
): Problem[] => {
  const self = pkg.manifest.name?.slice(SCOPE.length) ?? '';
  const selfRole = roleOf(self);
  const problems: Problem[] = [];
  const declared = new Set(
    Object.keys({
      ...pkg.manifest.dependencies,
      ...pkg.manifest.peerDependencies,
      ...(isTest ? pkg.manifest.devDependencies : {}),
    }),
  );
  for (const site of imports) {
    const target = kindlingPackageOf(site.specifier);
    if (target === undefined || target === self) {
      continue;
    }
    const at = { file, line: site.line };
    const targetRole = roleOf(target);
    if (targetRole === undefined) {
      problems.push({
        ...at,
        message: `imports ${SCOPE}${target}, which is not in the chain ${CHAIN_TEXT}`,
      });
      continue;
    }
    if (selfRole === undefined) {
      problems.push({
        ...at,
        message: `${SCOPE}${self} is not in the chain ${CHAIN_TEXT}: it may import no ${SCOPE}* package`,
      });
    } else if (
      targetRole.testOnly &&
      !isTest &&
      !selfRole.testOnly &&
      // An app may run the fake VMM for real (the CLI's demo without KVM); test utilities never.
      !(selfRole.kind === 'app' && target === FAKE_VMM)
    ) {
      problems.push({ ...at, message: `imports ${SCOPE}${target}, which only tests may import` });
    } else if (selfRole.kind === 'extension' && targetRole.kind === 'extension') {
      problems.push({
        ...at,
        message: `imports ${SCOPE}${target}: extensions never import one another; take the other extension's service as an interface the app passes in`,
      });
    } else if (selfRole.kind === 'client' && !isTest && !CLIENT_IMPORTS.has(target)) {
      problems.push({
        ...at,
        message: `imports ${SCOPE}${target}: ${SCOPE}client depends only on ${SCOPE}vmm-core (and undici)`,
      });
    } else if (targetRole.kind === 'client' && selfRole.kind !== 'app') {
      problems.push({ ...at, message: `imports ${SCOPE}client, which only apps may import` });
    } else if (
      targetRole.kind !== 'helpers' &&
      targetRole.rank >= selfRole.rank &&
      // The client's contract test runs the real server it is checked against; its sources never.
      !(isTest && selfRole.kind === 'client' && target === 'server')
    ) {
      problems.push({
        ...at,
        message: `imports ${SCOPE}${target}, which is not below ${SCOPE}${self} in the chain ${CHAIN_TEXT}`,
      });
    }
    if (target === HELPERS) {
      // Bundled into the package by tsup: a runtime dependency would make users install it.
      if (pkg.manifest.devDependencies?.[`${SCOPE}${HELPERS}`] === undefined) {
        problems.push({
          ...at,
          message: `imports ${SCOPE}${HELPERS}, which ${pkg.dir}/package.json must list in its devDependencies (it is bundled)`,
        });
      }
    } else if (!declared.has(`${SCOPE}${target}`)) {
      const field = isTest ? 'dependencies or devDependencies' : 'dependencies';
      problems.push({
        ...at,
        message: `imports ${SCOPE}${target}, which ${pkg.dir}/package.json does not declare in its ${field}`,
      });
    }
  }
  return problems;
};

/**
 * The manifest rules of roles: an extension lists `@kindling/vm` as a peer dependency (one copy
 * per install) and a dev dependency (for its own tests); the private helpers, test utilities and
 * VM test harness are never runtime dependencies.
 */
export const checkRoleManifest = (pkg: WorkspacePackage): Problem[] => {
  const self = pkg.manifest.name?.slice(SCOPE.length) ?? '';
  const file = `${pkg.dir}/package.json`;
  const problems: Problem[] = [];
  if (roleOf(self)?.kind === 'extension') {
    if (pkg.manifest.peerDependencies?.[`${SCOPE}vm`] === undefined) {
      problems.push({
        file,
        message: `an extension lists ${SCOPE}vm in its peerDependencies (one copy per install)`,
      });
    }
    if (pkg.manifest.devDependencies?.[`${SCOPE}vm`] === undefined) {
      problems.push({
        file,
        message: `an extension lists ${SCOPE}vm in its devDependencies too (for its own tests)`,
      });
    }
    if (pkg.manifest.dependencies?.[`${SCOPE}vm`] !== undefined) {
      problems.push({
        file,
        message: `an extension takes ${SCOPE}vm as a peer dependency, not a dependency`,
      });
    }
  }
  // A private test package may build on another (test-vm on test-utils): neither ever ships.
  const isPrivateTestPackage = pkg.manifest.private === true && roleOf(self)?.testOnly === true;
  for (const privateName of [HELPERS, TEST_UTILS, TEST_VM]) {
    if (
      !isPrivateTestPackage &&
      pkg.manifest.dependencies?.[`${SCOPE}${privateName}`] !== undefined
    ) {
      problems.push({
        file,
        message: `${SCOPE}${privateName} is private: list it in devDependencies, never in dependencies`,
      });
    }
  }
  return problems;
};
