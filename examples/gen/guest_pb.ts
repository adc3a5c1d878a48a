// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The guest agent's gRPC service (the fake guest's: fake-vmm's README, "The simulated guest") as
// protoc-gen-es v2 generates it from this proto (your own guest's service goes here):
//
//   syntax = "proto3";
//   package kindling.fake;
//   message Text { string text = 1; }
//   service GuestAgent {
//     rpc Unary(Text) returns (Text);
//     rpc ClientStreaming(stream Text) returns (Text);
//     rpc ServerStreaming(Text) returns (stream Text);
//     rpc DuplexStreaming(stream Text) returns (stream Text);
//   }

import type { Message } from '@bufbuild/protobuf';
import type { GenFile, GenMessage, GenService } from '@bufbuild/protobuf/codegenv2';
import { fileDesc, messageDesc, serviceDesc } from '@bufbuild/protobuf/codegenv2';

/** The file `kindling/fake/guest.proto`, as its serialized descriptor. */
export const file_kindling_fake_guest: GenFile = fileDesc(
  'ChlraW5kbGluZy9mYWtlL2d1ZXN0LnByb3RvEg1raW5kbGluZy5mYWtlIhQKBFRleHQSDAoEdGV4dBgBIAEoCTL+AQoKR3Vlc3RBZ2VudBIxCgVVbmFyeRITLmtpbmRsaW5nLmZha2UuVGV4dBoTLmtpbmRsaW5nLmZha2UuVGV4dBI9Cg9DbGllbnRTdHJlYW1pbmcSEy5raW5kbGluZy5mYWtlLlRleHQaEy5raW5kbGluZy5mYWtlLlRleHQoARI9Cg9TZXJ2ZXJTdHJlYW1pbmcSEy5raW5kbGluZy5mYWtlLlRleHQaEy5raW5kbGluZy5mYWtlLlRleHQwARI/Cg9EdXBsZXhTdHJlYW1pbmcSEy5raW5kbGluZy5mYWtlLlRleHQaEy5raW5kbGluZy5mYWtlLlRleHQoATABYgZwcm90bzM=',
);

/** `message Text { string text = 1; }` */
export type Text = Message<'kindling.fake.Text'> & { text: string };

export const TextSchema: GenMessage<Text> = messageDesc(file_kindling_fake_guest, 0);

/** `service GuestAgent` */
export const GuestAgent: GenService<{
  unary: { methodKind: 'unary'; input: typeof TextSchema; output: typeof TextSchema };
  clientStreaming: {
    methodKind: 'client_streaming';
    input: typeof TextSchema;
    output: typeof TextSchema;
  };
  serverStreaming: {
    methodKind: 'server_streaming';
    input: typeof TextSchema;
    output: typeof TextSchema;
  };
  duplexStreaming: {
    methodKind: 'bidi_streaming';
    input: typeof TextSchema;
    output: typeof TextSchema;
  };
}> = serviceDesc(file_kindling_fake_guest, 0);
