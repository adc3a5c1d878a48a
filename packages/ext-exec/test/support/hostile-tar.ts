// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A ustar archive written by hand, for entries no honest packer writes (`../escaped`).

const BLOCK = 512;

const header = (name: string, typeFlag: '0' | '5' | '2', size: number, linkTarget = ''): Buffer => {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 8, 'latin1');
  block.write('0000000\0', 108, 8, 'latin1');
  block.write('0000000\0', 116, 8, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'latin1');
  block.write('00000000000\0', 136, 12, 'latin1');
  block.write(typeFlag, 156, 1, 'latin1');
  block.write(linkTarget, 157, 100, 'utf8');
  block.write('ustar\0', 257, 6, 'latin1');
  block.write('00', 263, 2, 'latin1');
  block.fill(0x20, 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
};

/** An archive: a folder `.`, then one empty file entry named `name`, then the end. */
export const archiveWithEntry = (name: string): Buffer =>
  Buffer.concat([header('.', '5', 0), header(name, '0', 0), Buffer.alloc(BLOCK * 2)]);
