// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * The wire protocol's version, exchanged in HELLO. Raised on any change a peer of the previous
 * version would misread; a host and an agent of different versions refuse each other by name.
 */
export const PROTOCOL_VERSION = 1;

/** The guest's vsock port the agent listens on by default. */
export const EXEC_AGENT_PORT = 10_000;

/** The control stream: HELLO and connection-wide ERROR frames travel on it. */
export const CONTROL_STREAM_ID = 0;

/**
 * Bytes a sender may send on one stream (DATA, STDOUT and STDERR together) before the receiver
 * grants more with WINDOW; 256 KiB keeps 100 MB moving at socket speed while bounding what one
 * slow consumer holds in memory.
 */
export const INITIAL_WINDOW_BYTES = 256 * 1024;

/** The largest payload one DATA, STDOUT or STDERR frame carries; larger writes are split. */
export const MAX_DATA_CHUNK_BYTES = 64 * 1024;

/**
 * The largest frame a peer accepts (length field included); larger is a protocol error, so a
 * corrupt length never makes a peer buffer gigabytes. JSON results (a long listing) fit.
 */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Bytes before the payload: u32 length, u8 type, u32 stream id. */
export const FRAME_HEADER_BYTES = 9;
