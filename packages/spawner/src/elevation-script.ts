// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ResolvedSpawnRequest } from './spawn-options.js';

/** The lines the wrapper writes to stderr, each prefixed by the spawn's unique marker. */
export const ELEVATION_TOKENS = {
  ready: ':ready\n',
  missing: ':missing\n',
  cwd: ':cwd\n',
} as const;

// A constant script: user data reaches it only as positional parameters, never as script text.
// It runs as the elevated user, so cwd, the environment and the binary are checked with that
// user's rights; the ready line tells the spawner that sudo or su accepted and the command is next.
// Parameters: marker, cwd ('' keeps it), count of NAME=VALUE exports, binary to check, the
// exports, then the argv to exec.
const ELEVATION_SCRIPT = `marker=$1 cwd=$2 count=$3 bin=$4
shift 4
if [ -n "$cwd" ]; then
  cd -- "$cwd" || { printf '%s${ELEVATION_TOKENS.cwd.trimEnd()}\\n' "$marker" >&2; exit 126; }
fi
while [ "$count" -gt 0 ]; do
  export "$1"
  shift
  count=$((count - 1))
done
case $bin in
  */*) [ -f "$bin" ] && [ -x "$bin" ] ;;
  *) command -v -- "$bin" >/dev/null 2>&1 ;;
esac || { printf '%s${ELEVATION_TOKENS.missing.trimEnd()}\\n' "$marker" >&2; exit 127; }
printf '%s${ELEVATION_TOKENS.ready.trimEnd()}\\n' "$marker" >&2
exec "$@"`;

/** The shell every elevated command runs under; it exists on every Linux system. */
export const ELEVATION_SHELL = '/bin/sh';

/**
 * The argv (starting with `/bin/sh`) that checks and starts the requested command as the elevated
 * user. With `extendEnv: false` the command runs under `env -i`, so only `env` is set.
 */
export const buildElevationArgv = (request: ResolvedSpawnRequest, marker: string): string[] => {
  const assignments = Object.entries(request.env).map(([name, value]) => `${name}=${value}`);
  const exported = request.extendEnv ? assignments : [];
  const argv = request.extendEnv
    ? [request.binary, ...request.args]
    : ['env', '-i', ...assignments, request.binary, ...request.args];
  return [
    ELEVATION_SHELL,
    '-c',
    ELEVATION_SCRIPT,
    'kindling-elevated',
    marker,
    request.cwd ?? '',
    String(exported.length),
    request.binary,
    ...exported,
    ...argv,
  ];
};
