// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The exec agent: what runs in the guest. The protocol a host speaks to it is in
// `@kindling/exec-agent/protocol`.

export { createExecAgent } from './agent/exec-agent.js';
export type { ExecAgent, ExecAgentOptions } from './agent/exec-agent.js';
export { startExecAgent } from './agent/start-exec-agent.js';
export type { RunningExecAgent, StartExecAgentOptions } from './agent/start-exec-agent.js';
export { EXEC_AGENT_PORT, EXEC_AGENT_VERSION, PROTOCOL_VERSION } from './protocol/index.js';
