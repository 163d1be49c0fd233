// The runtime's public entry (`rpcgen/runtime`): the only module generated code imports.

export type { CallContext, CallOptions, Metadata } from "./call-context.js";
export type { Channel } from "./channel.js";
export type { AnyMessageCodec, MessageCodec } from "./codec/message-codec.js";
export type {
  BidiMethod,
  ClientStreamMethod,
  ErrorType,
  MethodDescriptor,
  MethodKind,
  OnewayMethod,
  ServerStreamMethod,
  ServiceDescriptor,
  UnaryMethod,
} from "./descriptors.js";
export { isStatusCode, RpcError, type RpcErrorOptions, Status, type StatusCode, statusName } from "./status.js";
