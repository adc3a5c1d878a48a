// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { readText } from '../test/stand-ins.js';
import { DirectSpawner } from './direct-spawner.js';
import { joinShellWords, quoteShellWord } from './shell-quote.js';

describe('quoteShellWord', () => {
  it('single-quotes a word and escapes single quotes as close, escaped quote, reopen', () => {
    expect(quoteShellWord('plain')).toBe("'plain'");
    expect(quoteShellWord("it's")).toBe(String.raw`'it'\''s'`);
    expect(quoteShellWord('')).toBe("''");
  });

  it('round-trips hostile words through a real /bin/sh', async () => {
    const words = [
      'a b',
      "it's",
      "''",
      '"double"',
      '$HOME',
      '${PATH}',
      '`id`',
      '$(id)',
      'line1\nline2',
      '\ttab',
      '',
      '\\',
      '\\n',
      '*',
      '~',
      '; echo injected',
      '&& echo injected',
      '| cat',
      '-n',
      '!event',
      'é ü 日本',
    ];
    const command = `printf '%s\\0' ${joinShellWords(words)}`;
    const child = await new DirectSpawner().spawn('/bin/sh', ['-c', command]);
    const [out, exit] = await Promise.all([readText(child.stdout), child.exited]);
    expect(exit).toStrictEqual({ code: 0, signal: null });
    expect(out.split('\0').slice(0, -1)).toStrictEqual(words);
  });
});
