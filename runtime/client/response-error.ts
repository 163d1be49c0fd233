// Turning a failed RESPONSE into the error a caller sees: the generated class of a declared error, or
// an RpcError with the status.

import { decodeJsonBody } from "../codec/json-body.js";
import type { MethodDescriptor } from "../descriptors.js";
import type { ResponsePayload } from "../protocol/payloads.js";
import { RpcError, Status } from "../status.js";

/** The error for a non-OK response of `method` (its typed error's fields in JSON when `json`). Never throws. */
export function errorFromResponse(
  method: MethodDescriptor,
  response: ResponsePayload,
  json: boolean,
): RpcError {
  const options = { metadata: response.metadata, unprocessed: response.unprocessed };
  if (response.typeName !== undefined) {
    for (const type of method.errors) {
      if (type.typeName !== response.typeName) continue;
      try {
        // owned: a received frame's payload
        const error = json ? decodeJsonBody(type, response.body) : type.decode(response.body, true);
        error.message = response.message;
        if (Object.keys(response.metadata).length > 0) {
          Object.defineProperty(error, "metadata", { value: response.metadata, enumerable: true });
        }
        return error;
      } catch (cause) {
        return new RpcError(Status.INTERNAL, `cannot decode error ${response.typeName}: ${String(cause)}`, {
          cause,
        });
      }
    }
  }
  const status = response.status === Status.OK ? Status.UNKNOWN : response.status;
  return new RpcError(status, response.message, options);
}

/** The error for a response or stream element that does not decode. */
export function decodeFailure(method: MethodDescriptor, cause: unknown): RpcError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RpcError(Status.INTERNAL, `cannot decode the response of ${method.path}: ${detail}`, { cause });
}
