// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What a user should get from the registry, worked out from the workspace's own manifests, so the
// check covers every package that lands without a list kept by hand.

/** The fields of a manifest the release check reads. */
export interface ReleaseManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
}

/** The names of the public packages, sorted. */
export const publicNames = (manifests: readonly ReleaseManifest[]): string[] =>
  manifests
    .filter((manifest) => manifest.private !== true)
    .map((manifest) => manifest.name)
    .toSorted();

// npm installs dependencies and (since npm 7) the peers that are not optional.
const installedWith = (manifest: ReleaseManifest): string[] => {
  const optional = manifest.peerDependenciesMeta ?? {};
  const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
    (name) => optional[name]?.optional !== true,
  );
  return [...Object.keys(manifest.dependencies ?? {}), ...peers];
};

/**
 * The workspace packages `npm install <name>` pulls: the package and every workspace package its
 * dependencies and required peers reach, sorted. Third-party packages are not in it.
 */
export const workspaceClosure = (name: string, manifests: readonly ReleaseManifest[]): string[] => {
  const byName = new Map(manifests.map((manifest) => [manifest.name, manifest]));
  const reached = new Set<string>();
  const pending = [name];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const manifest = byName.get(next);
    if (manifest === undefined || reached.has(next)) {
      continue;
    }
    reached.add(next);
    pending.push(...installedWith(manifest));
  }
  return [...reached].toSorted();
};

const parseVersion = (text: string): [number, number, number] | undefined => {
  const match = /^(\d+)\.(\d+)\.(\d+)$/u.exec(text);
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])];
};

/**
 * Whether `version` satisfies `range`, for the ranges pnpm writes for `workspace:^` (`^x.y.z`)
 * and exact versions; `undefined` for any other shape, which the check reports rather than guess.
 */
export const satisfies = (version: string, range: string): boolean | undefined => {
  const got = parseVersion(version);
  const caret = range.startsWith('^');
  const base = parseVersion(caret ? range.slice(1) : range);
  if (got === undefined || base === undefined) {
    return undefined;
  }
  if (!caret) {
    return got.join('.') === base.join('.');
  }
  // ^ allows changes that do not modify the left-most non-zero part (npm's semver).
  const fixed = base[0] > 0 ? 1 : base[1] > 0 ? 2 : 3;
  const compare = got[0] - base[0] || got[1] - base[1] || got[2] - base[2];
  return compare >= 0 && got.slice(0, fixed).join('.') === base.slice(0, fixed).join('.');
};
