// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { styleText } from 'node:util';
import Table from 'cli-table3';

/** Where a command writes: data to stdout, progress and errors to stderr. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

type Style = Parameters<typeof styleText>[0];

/** What a command prints with: JSON for scripts, or text (coloured only on a terminal). */
export class Output {
  readonly json: boolean;
  readonly io: CliIo;

  constructor(io: CliIo, json: boolean) {
    this.io = io;
    this.json = json;
  }

  /** Whether stdout shows colours: a terminal, and no NO_COLOR. */
  get colours(): boolean {
    return this.io.stdout.isTTY === true && !hasNoColor(this.io.env);
  }

  /** Styles text for stdout, or leaves it plain off a terminal. */
  style(format: Style, text: string): string {
    return this.colours ? styleText(format, text, { validateStream: false }) : text;
  }

  /** Styles text for stderr, or leaves it plain off a terminal. */
  styleErr(format: Style, text: string): string {
    return this.io.stderr.isTTY === true && !hasNoColor(this.io.env)
      ? styleText(format, text, { validateStream: false })
      : text;
  }

  /** Prints a command's data: `value` as one JSON document with --json, else `text()`. */
  data(value: unknown, text: () => string): void {
    this.io.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : ensureNewline(text()));
  }

  /** A line of text for people on stdout; nothing with --json. */
  line(text: string): void {
    if (!this.json) {
      this.io.stdout.write(ensureNewline(text));
    }
  }

  /** A note on stderr (never mixed into the data). */
  note(text: string): void {
    this.io.stderr.write(ensureNewline(text));
  }

  /** A table as text: the header row, then one row per item. */
  table(head: readonly string[], rows: readonly (readonly string[])[]): string {
    const table = new Table({
      head: head.map((cell) => this.style('bold', cell)),
      // cli-table3 colours the border and the head itself unless told not to.
      style: { head: [], border: [], compact: true },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    table.push(...rows.map((row) => [...row]));
    return table.toString();
  }
}

const hasNoColor = (env: NodeJS.ProcessEnv): boolean =>
  env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';

const ensureNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
