// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

// A module's dependencies are in its `.modinfo` section as `depends=a,b`: read from the file
// itself, because a kernel package ships no modules.dep (depmod writes it at install time).
const readDepends = (module: Buffer): string[] => {
  const key = Buffer.from('\0depends=', 'latin1');
  const at = module.indexOf(key);
  if (at < 0) {
    return [];
  }
  const start = at + key.length;
  const value = module.toString('latin1', start, module.indexOf(0, start));
  return value === '' ? [] : value.split(',');
};

const listModuleFiles = async (dir: string): Promise<Map<string, string>> => {
  const byName = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ko')) {
      const file = path.relative(dir, path.join(entry.parentPath, entry.name));
      // Module names use "_" where file names may use "-".
      byName.set(entry.name.slice(0, -3).replaceAll('-', '_'), file);
    }
  }
  return byName;
};

/**
 * The module files (relative to `modulesDir`, the kernel's /lib/modules/<version>) to load for
 * `wanted`, each after the modules it depends on: the order `insmod` needs.
 */
export const resolveModuleLoadOrder = async (
  modulesDir: string,
  wanted: readonly string[],
): Promise<string[]> => {
  const files = await listModuleFiles(modulesDir);
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = async (name: string): Promise<void> => {
    const file = files.get(name);
    if (file === undefined) {
      throw new Error(`kernel module ${name} is not in ${modulesDir}: is it built in, or renamed?`);
    }
    if (order.includes(file) || visiting.has(name)) {
      return;
    }
    visiting.add(name);
    for (const dependency of readDepends(await readFile(path.join(modulesDir, file)))) {
      await visit(dependency);
    }
    order.push(file);
  };
  for (const name of wanted) {
    await visit(name);
  }
  return order;
};
