// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The exec agent's wire protocol: what a host (@kindling/ext-exec) imports to speak to the agent.
// PROTOCOL.md describes it byte by byte.

export {
  CONTROL_STREAM_ID,
  EXEC_AGENT_PORT,
  FRAME_HEADER_BYTES,
  INITIAL_WINDOW_BYTES,
  MAX_DATA_CHUNK_BYTES,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
} from './constants.js';
export { encodeFrame, encodeFrameHeader, encodeJsonFrame, FrameDecoder } from './frame-codec.js';
export type { Frame } from './frame-codec.js';
export { FrameType, frameTypeName, isDataFrameType, isFrameType } from './frame-types.js';
export type { DataFrameType } from './frame-types.js';
export type {
  EmptyResult,
  ErrorMessage,
  ExecRequest,
  ExitMessage,
  FileStat,
  FileType,
  HelloMessage,
  ListRequest,
  ListResult,
  MkdirRequest,
  OpenOperation,
  OpenRequest,
  PullRequest,
  PushRequest,
  RemoveRequest,
  SignalMessage,
  StatRequest,
  TransferResult,
  WindowSize,
} from './messages.js';
export { describeVersionMismatch, Multiplexer } from './multiplexer.js';
export type { MultiplexerOptions } from './multiplexer.js';
export { MuxStream } from './mux-stream.js';
export type { StreamHandler } from './mux-stream.js';
export {
  parseErrorMessage,
  parseExit,
  parseHello,
  parseJsonPayload,
  parseOpenRequest,
  parseSignal,
  parseWindowSize,
} from './parse-messages.js';
export { PROTOCOL_ERROR_CODES, ProtocolError } from './protocol-error.js';
export type { ProtocolErrorCode } from './protocol-error.js';
export { EXEC_AGENT_VERSION } from './package-version.js';
export { packTar } from '../tar/pack-tar.js';
export type { PackSummary } from '../tar/pack-tar.js';
export { extractTar } from '../tar/extract-tar.js';
export type { ExtractSummary } from '../tar/extract-tar.js';
export { replaceFromTar } from '../tar/replace-from-tar.js';
