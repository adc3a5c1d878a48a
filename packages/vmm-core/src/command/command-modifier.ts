// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** A program and its arguments, as an executor is about to spawn them. */
export interface Command {
  readonly binary: string;
  readonly args: readonly string[];
}

/**
 * Rewrites a command before it is spawned, for example to run it inside a network namespace.
 * Modifiers are pure: they return a new command and never touch the one they are given.
 */
export interface CommandModifier {
  apply(command: Command): Command;
}

/** Applies modifiers in order: the first one wraps the original command, the last one is outermost. */
export const applyCommandModifiers = (
  command: Command,
  modifiers: readonly CommandModifier[],
): Command => modifiers.reduce((current, modifier) => modifier.apply(current), command);
