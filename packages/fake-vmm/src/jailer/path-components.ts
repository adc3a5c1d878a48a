// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * Whether a relative path has a component the jailer refuses (`Component::RootDir`, `CurDir` or
 * `ParentDir`). Rust's `Path::components` keeps a `.` only as the first component, so `a/./b` passes.
 */
export const hasInvalidComponent = (value: string): boolean => {
  if (value.startsWith('/')) {
    return true;
  }
  const segments = value.split('/');
  return segments[0] === '.' || segments.includes('..');
};
