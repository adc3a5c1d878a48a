// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Problem } from '../check.ts';
import type { WorkspacePackage } from '../workspace.ts';
import type { ImportSite } from './source-file.ts';

/** Where a package stands in the chain; a package may import only packages of a lower rank. */
interface Role {
  readonly rank: number;
  readonly kind: 'layer' | 'extension' | 'tool';
  /** Tools that only tests may import (the fake VMM must never ship inside a layer). */
  readonly testOnly: boolean;
}

export const CHAIN = ['spawner', 'vmm-core', 'executor', 'process', 'vm'] as const;
const CHAIN_TEXT = `${CHAIN.join(' → ')} → ext-*`;
const SCOPE = '@kindling/';

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
    // The fake VMM emulates what vmm-core describes, and the layers above test against it.
    case 'fake-vmm':
      return { rank: 1.5, kind: 'tool', testOnly: true };
    case 'cli':
      return { rank: CHAIN.length + 1, kind: 'tool', testOnly: false };
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
    } else if (targetRole.testOnly && !isTest) {
      problems.push({ ...at, message: `imports ${SCOPE}${target}, which only tests may import` });
    } else if (selfRole.kind === 'extension' && targetRole.kind === 'extension') {
      problems.push({
        ...at,
        message: `imports ${SCOPE}${target}: extensions never import one another`,
      });
    } else if (targetRole.rank >= selfRole.rank) {
      problems.push({
        ...at,
        message: `imports ${SCOPE}${target}, which is not below ${SCOPE}${self} in the chain ${CHAIN_TEXT}`,
      });
    }
    if (!declared.has(`${SCOPE}${target}`)) {
      const field = isTest ? 'dependencies or devDependencies' : 'dependencies';
      problems.push({
        ...at,
        message: `imports ${SCOPE}${target}, which ${pkg.dir}/package.json does not declare in its ${field}`,
      });
    }
  }
  return problems;
};
