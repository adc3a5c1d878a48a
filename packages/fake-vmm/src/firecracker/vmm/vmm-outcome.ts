// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** What a VMM action answers: 204, 200 with a JSON body, or a fault (400, or 413 for MMDS size). */
export type VmmOutcome =
  | { readonly status: 204 }
  | { readonly status: 200; readonly body: string }
  | {
      readonly status: 400 | 413;
      readonly fault: string;
      /** A failed snapshot restore: the answer is sent, then the process exits with this code. */
      readonly exitAfter?: number;
    };

/** `204 No Content`. */
export const NO_CONTENT: VmmOutcome = { status: 204 };

/** `200` with `value` serialized as Firecracker's serde_json would (key order as given). */
export const jsonOutcome = (value: unknown): VmmOutcome => ({
  status: 200,
  body: JSON.stringify(value),
});

/** A `fault_message` answer. */
export const faultOutcome = (fault: string, status: 400 | 413 = 400): VmmOutcome => ({
  status,
  fault,
});

/** `VmmActionError::OperationNotSupportedPreBoot`. */
export const NOT_SUPPORTED_PRE_BOOT =
  'The requested operation is not supported before starting the microVM.';

/** `VmmActionError::OperationNotSupportedPostBoot`. */
export const NOT_SUPPORTED_POST_BOOT =
  'The requested operation is not supported after starting the microVM.';
