// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The type byte of a frame; which direction sends which is in PROTOCOL.md. */
// oxlint-disable-next-line no-redeclare -- the value and its type share the name, as an enum's do
export const FrameType = {
  /** Stream 0, both ways, first: `{ protocol, agent | host }` JSON. */
  HELLO: 1,
  /** Host → agent: opens a stream with a JSON request (`OpenRequest`). */
  OPEN: 2,
  /** Bytes: stdin or upload (host → agent), download (agent → host). Flow-controlled. */
  DATA: 3,
  /** Agent → host: the child's stdout (or the PTY's output). Flow-controlled. */
  STDOUT: 4,
  /** Agent → host: the child's stderr. Flow-controlled. */
  STDERR: 5,
  /** Either way: one channel ended; payload one byte, the channel's frame type (DATA, STDOUT, STDERR). */
  EOF: 6,
  /** Host → agent: `{ signal }` JSON, a signal name for the exec's process. */
  SIGNAL: 7,
  /** Host → agent: `{ cols, rows }` JSON, the PTY's new window size. */
  RESIZE: 8,
  /** Agent → host: `{ exitCode, signal, timedOut }` JSON; the exec's stream ends. */
  EXIT: 9,
  /** Agent → host: a file operation's JSON result; the stream ends. */
  RESULT: 10,
  /** Agent → host (or either way on stream 0): `{ code, message }` JSON; the stream ends. */
  ERROR: 11,
  /** Either way: u32 BE, more bytes the sender of this frame is ready to receive on the stream. */
  WINDOW: 12,
} as const;

/** One of the frame type bytes. */
// oxlint-disable-next-line no-redeclare -- the value and its type share the name, as an enum's do
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** The frame types that carry flow-controlled bytes. */
export type DataFrameType =
  typeof FrameType.DATA | typeof FrameType.STDOUT | typeof FrameType.STDERR;

const NAMES = new Map<number, string>(
  Object.entries(FrameType).map(([name, value]) => [value, name]),
);

/** Whether a byte is a known frame type. */
export const isFrameType = (value: number): value is FrameType => NAMES.has(value);

/** A frame type's name for messages (`STDOUT`), or `type 42` for an unknown one. */
export const frameTypeName = (value: number): string => NAMES.get(value) ?? `type ${value}`;

/** Whether a frame type carries flow-controlled bytes. */
export const isDataFrameType = (value: number): value is DataFrameType =>
  value === FrameType.DATA || value === FrameType.STDOUT || value === FrameType.STDERR;
