import assert from "node:assert/strict";
import { RpcError, Status, statusName } from "@rpcgen/runtime";

describe("runtime status", () => {
  it("names codes and keeps them on errors", () => {
    const e = new RpcError(Status.NOT_FOUND, "no such order");
    assert.equal(e.code, 5);
    assert.equal(statusName(e.code), "NOT_FOUND");
    assert.equal(statusName(99), "CODE_99");
  });
});
