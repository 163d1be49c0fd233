// The runtime's public entry (`@rpcgen/runtime`): the only module generated code imports.

export { type AccessLogOptions, accessLogInterceptor } from "./access-log.js";
export { type AccessPolicy, type AccessRule, checkPolicy } from "./auth/access-policy.js";
export { type AuthOptions, authInterceptor } from "./auth/auth-interceptor.js";
export { type BearerOptions, bearerCredentials, bearerToken, type Token } from "./auth/bearer.js";
export type { CallCredentials, CredentialsRequest } from "./auth/credentials.js";
export {
  type Authenticator,
  certificateAuthenticator,
  certificateIdentity,
  IDENTITY,
  type Identity,
  unauthenticated,
} from "./auth/identity.js";
export type { CallContext, CallOptions, Metadata } from "./call-context.js";
export { currentCallContext, withoutCallContext } from "./call-scope.js";
export { CallValues, type ContextKey, contextKey } from "./call-values.js";
export type { Channel } from "./channel.js";
// The socket runtime: transports, client channel, server, interceptors, options, events.
export type { BackoffOptions, ConnectOptions } from "./client/client-options.js";
export type { ChannelState, StateChange } from "./client/connector.js";
export { SocketChannel } from "./client/socket-channel.js";
export * from "./cluster/index.js";
export {
  type FromJson,
  messageCodec,
  type ReadFields,
  readMessageField,
  type ToJson,
  type WriteFields,
  writeMessageField,
} from "./codec/codec-factory.js";
export { DecodeError } from "./codec/decode-error.js";
export {
  EMPTY_BYTES,
  nextTag,
  readBoolList,
  readDoubleList,
  readFloatList,
  readInt32List,
  readInt64List,
  readUint32List,
  readUint64List,
} from "./codec/field-readers.js";
export {
  writeBool,
  writeBoolList,
  writeBytes,
  writeBytesList,
  writeDouble,
  writeDoubleList,
  writeFloat,
  writeFloatList,
  writeInt32,
  writeInt32List,
  writeInt64,
  writeInt64List,
  writeString,
  writeStringList,
  writeUint32,
  writeUint32List,
  writeUint64,
  writeUint64List,
} from "./codec/field-writers.js";
export {
  type JsonFieldReader,
  listFromJson,
  listToJson,
  mapFromJson,
  mapToJson,
  readJsonFields,
  readJsonUnion,
  stringKeyFromJson,
} from "./codec/json-fields.js";
export {
  type JsonElementWriter,
  putBool,
  putBytes,
  putEnum,
  putFloat,
  putInt,
  putInt64,
  putList,
  putMap,
  putString,
} from "./codec/json-put.js";
export {
  boolFromJson,
  boolKeyFromJson,
  bytesFromJson,
  bytesToJson,
  doubleFromJson,
  enumNumberFromJson,
  floatFromJson,
  floatToJson,
  int32FromJson,
  int64FromJson,
  int64ToJson,
  stringFromJson,
  uint32FromJson,
  uint64FromJson,
} from "./codec/json-scalars.js";
export {
  type FromJsonOptions,
  type JsonCodec,
  JsonError,
  type JsonObject,
  type JsonValue,
  type ToJsonOptions,
} from "./codec/json-value.js";
export type { AnyMessageCodec, JsonMessageCodec, MessageCodec } from "./codec/message-codec.js";
export { decodeMessage, encodeFailure, encodeMessage } from "./codec/message-io.js";
export { readBytes } from "./codec/read-bytes.js";
export { Reader } from "./codec/reader.js";
export {
  enterMessage,
  leaveMessage,
  MAX_DECODE_DEPTH,
  readBool,
  readDouble,
  readFloat,
  readInt32,
  readInt64,
  readLengthEnd,
  readString,
  readUint32,
  readUint64,
  readVarint32,
  skipField,
} from "./codec/wire-reader.js";
export {
  beginMessageField,
  endMessageField,
  type MessageMark,
  writeBoolField,
  writeBytesField,
  writeDoubleField,
  writeFloatField,
  writeInt32Field,
  writeInt32Varint,
  writeInt64Field,
  writeInt64Varint,
  writeStringField,
  writeUint32Field,
  writeUint32Varint,
  writeUint64Field,
  writeUint64Varint,
} from "./codec/wire-writer.js";
export { newWriter, Writer } from "./codec/writer.js";
export type { KeepaliveOptions } from "./connection/keepalive.js";
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
export {
  type CallEndEvent,
  type CallInfo,
  type CallStartEvent,
  type ClosedEvent,
  type ConnectingEvent,
  type ConnectionInfo,
  channelNames,
  type GoAwayEvent,
  type KeepaliveTimeoutEvent,
  type ProtocolErrorEvent,
  type ReadyEvent,
  type ReconnectEvent,
  type Side,
} from "./diagnostics.js";
export { InMemoryChannel, type InMemoryChannelOptions } from "./in-memory-channel.js";
export {
  type ClientCall,
  type ClientInterceptor,
  type ClientNext,
  chainInterceptors,
  methodClientInterceptor,
  methodServerInterceptor,
  type RequestOf,
  type ResultOf,
  type ServerCall,
  type ServerInterceptor,
  type ServerNext,
  type UnaryClientCall,
  type UnaryServerCall,
  unaryClientInterceptor,
  unaryServerInterceptor,
} from "./interceptors.js";
export { type LogFn, type Logger, silentLogger, stderrLogger } from "./logger.js";
export {
  bidiMethod,
  clientStreamMethod,
  type MethodOptions,
  onewayMethod,
  serverStreamMethod,
  unaryMethod,
} from "./method-builders.js";
export { newRequestId, REQUEST_ID_KEY, requestIdOf } from "./request-id.js";
export * from "./resilience/index.js";
export {
  type CloseOptions,
  type ListenAddress,
  type ListenOptions,
  Server,
  type TransportInfo,
} from "./server/server.js";
export type { ServerOptions } from "./server/server-options.js";
export {
  isStatusCode,
  RpcError,
  type RpcErrorOptions,
  Status,
  type StatusCode,
  statusName,
} from "./status.js";
export { ALPN_PROTOCOL, type PeerIdentity, type TlsInfo } from "./tls/tls-info.js";
export type { ClientTlsOptions, ServerTlsOptions } from "./tls/tls-options.js";
export {
  type DialContext,
  type Dialer,
  dialerFor,
  FatalDialError,
  parseTarget,
  type Target,
  tcpDialer,
  unixDialer,
} from "./transport/dialers.js";
export { duplexPair } from "./transport/duplex-pair.js";
export type { Transport } from "./transport/transport.js";
