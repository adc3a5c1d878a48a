// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createRequire } from 'node:module';
import { Client, buildConnector } from 'undici';
import { describe, expect, it } from 'vitest';
import { loadUndiciModules } from './undici-client.js';

const load = createRequire(import.meta.url);

// A loader that knows only undici's package itself, as after a change of undici's layout.
const loadOnlyThePackage =
  (loaded: string[]) =>
  (id: string): unknown => {
    loaded.push(id);
    if (id !== 'undici') {
      throw new Error(`Cannot find module '${id}'`);
    }
    return load(id);
  };

describe('loadUndiciModules', () => {
  it("loads undici's HTTP/1.1 Client and connector alone", () => {
    const modules = loadUndiciModules(load);
    expect(modules.Client).toBe(load('undici/lib/dispatcher/client.js'));
    expect(modules.buildConnector).toBe(load('undici/lib/core/connect.js'));
  });

  it("falls back to undici's public index when its internals are laid out otherwise", () => {
    const loaded: string[] = [];
    expect(loadUndiciModules(loadOnlyThePackage(loaded))).toEqual({ Client, buildConnector });
    expect(loaded).toEqual(['undici/lib/dispatcher/client.js', 'undici']);
  });
});
