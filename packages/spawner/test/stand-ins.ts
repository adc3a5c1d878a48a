// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';

// A recording stand-in for sudo: it logs its argv and every password it reads, then behaves like
// sudo as configured by files beside it (password: require it; denied: refuse; hang: never answer).
const SUDO_STAND_IN = String.raw`#!/bin/sh
dir=$(dirname -- "$0")
printf '%s\0' "$@" > "$dir/argv"
printf '%s\n' "$$" > "$dir/pid"
: > "$dir/stdin"
prompt='Password:' nonint=''
while [ $# -gt 0 ]; do
  case $1 in
    -n) nonint=1; shift ;;
    -S) shift ;;
    -p) prompt=$2; shift 2 ;;
    -u) printf '%s\n' "$2" > "$dir/user"; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
if [ -f "$dir/hang" ]; then exec sleep 60; fi
if [ -f "$dir/denied" ]; then
  echo 'Sorry, user tester is not allowed to execute this command.' >&2
  exit 1
fi
if [ -f "$dir/password" ]; then
  if [ -n "$nonint" ]; then echo 'sudo: a password is required' >&2; exit 1; fi
  expected=$(cat "$dir/password")
  tries=0
  while :; do
    printf '%s' "$prompt" >&2
    IFS= read -r given || { echo 'sudo: no password was provided' >&2; exit 1; }
    printf '%s\n' "$given" >> "$dir/stdin"
    [ "$given" = "$expected" ] && break
    tries=$((tries + 1))
    if [ "$tries" -ge 3 ]; then echo 'sudo: 3 incorrect password attempts' >&2; exit 1; fi
    echo 'Sorry, try again.' >&2
  done
fi
exec "$@"
`;

// A recording stand-in for util-linux su: PAM-style prompt on stderr, one attempt, then it runs
// the -c command with the -s shell, as su does.
const SU_STAND_IN = String.raw`#!/bin/sh
dir=$(dirname -- "$0")
printf '%s\0' "$@" > "$dir/argv"
: > "$dir/stdin"
shell=/bin/sh command=''
while [ $# -gt 0 ]; do
  case $1 in
    -s) shell=$2; shift 2 ;;
    -c) command=$2; shift 2 ;;
    *) break ;;
  esac
done
if [ -f "$dir/nouser" ]; then
  # As su's err(3): its name, the message and the line break in separate writes, slowly enough
  # that a reader sees "su: " alone.
  printf 'su: ' >&2
  sleep 0.2
  printf 'user %s does not exist\n' "$(cat "$dir/nouser")" >&2
  exit 1
fi
if [ -f "$dir/password" ]; then
  printf 'Password: ' >&2
  IFS= read -r given || given=''
  printf '%s\n' "$given" >> "$dir/stdin"
  if [ "$given" != "$(cat "$dir/password")" ]; then
    printf '\nsu: Authentication failure\n' >&2
    exit 1
  fi
  printf '\n' >&2
fi
exec "$shell" -c "$command"
`;

/** A folder holding a stand-in `sudo` or `su`, its configuration and its records. */
export interface StandIn {
  readonly dir: string;
  /** The stand-in's arguments, as it received them. */
  readArgv(): Promise<string[]>;
  /** The password lines the stand-in read from its stdin. */
  readPasswords(): Promise<string[]>;
  /** The stand-in's process id (kept by `exec` for whatever it runs next). */
  readPid(): Promise<number>;
  /** Writes a configuration file (`password`, `denied`, `hang`). */
  configure(name: 'password' | 'denied' | 'hang' | 'nouser', content?: string): Promise<void>;
}

/** Creates a temporary folder with a recording stand-in named `sudo` or `su`. */
export const createStandIn = async (name: 'sudo' | 'su', root: string): Promise<StandIn> => {
  const dir = path.join(root, `${name}-stand-in`);
  await mkdir(dir);
  const file = path.join(dir, name);
  await writeFile(file, name === 'sudo' ? SUDO_STAND_IN : SU_STAND_IN);
  await chmod(file, 0o755);
  return {
    dir,
    readArgv: async () => (await readFile(path.join(dir, 'argv'), 'utf8')).split('\0').slice(0, -1),
    readPasswords: async () =>
      (await readFile(path.join(dir, 'stdin'), 'utf8')).split('\n').slice(0, -1),
    readPid: async () => Number((await readFile(path.join(dir, 'pid'), 'utf8')).trim()),
    configure: async (setting, content = '') => {
      await writeFile(path.join(dir, setting), content);
    },
  };
};

/** Creates a temporary folder under the OS temp dir and returns it with its removal. */
export const createTempDir = async (): Promise<{
  dir: string;
  remove: () => Promise<void>;
}> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kindling-spawner-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
};

/** Reads a stream to its end as UTF-8 text. */
export const readText = async (stream: Readable | null): Promise<string> => {
  if (stream === null) {
    throw new TypeError('expected a piped stream');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** Puts a folder first on PATH and returns the function that restores PATH. */
export const prependToPath = (dir: string): (() => void) => {
  const original = process.env['PATH'];
  process.env['PATH'] = `${dir}${path.delimiter}${original ?? ''}`;
  return () => {
    if (original === undefined) {
      delete process.env['PATH'];
    } else {
      process.env['PATH'] = original;
    }
  };
};

const hasSu = ((): boolean => {
  try {
    execFileSync('sh', ['-c', 'command -v su'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Whether the real su can run commands here: it is installed and this is root, for whom su asks
 * no password (pam_rootok); any other user would need one.
 */
export const canRunRealSu = hasSu && process.getuid?.() === 0;
