import assert from "node:assert/strict";
import { isTakenName, topLevelTsNames, tsNames } from "../../compiler/check/ts-names.js";

describe("the TypeScript naming rule", () => {
  it("keeps names that are legal where they are used", () => {
    assert.deepEqual(tsNames("topLevel", ["Order", "Item", "delete_me"]), ["Order", "Item", "delete_me"]);
    assert.deepEqual(tsNames("field", ["class", "delete", "Promise", "name"]), [
      "class",
      "delete",
      "Promise",
      "name",
    ]);
  });

  it("appends _ to reserved words and globals at top level, not to runtime export names", () => {
    assert.deepEqual(tsNames("topLevel", ["class", "Promise", "Error", "undefined", "RpcError", "Status"]), [
      "class_",
      "Promise_",
      "Error_",
      "undefined_",
      "RpcError",
      "Status",
    ]);
  });

  it("renames TypeScript's predefined type names at top level", () => {
    assert.deepEqual(tsNames("topLevel", ["number", "object", "never"]), ["number_", "object_", "never_"]);
    // Locals of generated codec functions would shadow a type of the same name inside them.
    assert.deepEqual(tsNames("topLevel", ["m", "t", "end", "M", "tt"]), ["m_", "t_", "end_", "M", "tt"]);
  });

  it("appends _ until the name is unique among siblings", () => {
    assert.deepEqual(tsNames("topLevel", ["Promise", "Promise_"]), ["Promise__", "Promise_"]);
    assert.deepEqual(tsNames("topLevel", ["Promise_", "Promise"]), ["Promise_", "Promise__"]);
    assert.deepEqual(tsNames("param", ["delete", "delete_", "delete__"]), [
      "delete___",
      "delete_",
      "delete__",
    ]);
  });

  it("renames parameters that are reserved words or the generated ctx and options", () => {
    assert.deepEqual(tsNames("param", ["delete", "ctx", "options", "id", "arguments"]), [
      "delete_",
      "ctx_",
      "options_",
      "id",
      "arguments_",
    ]);
  });

  it("renames fields and enum values only where plain objects would break", () => {
    assert.deepEqual(tsNames("field", ["__proto__", "constructor", "message"]), [
      "__proto___",
      "constructor_",
      "message",
    ]);
    assert.deepEqual(tsNames("enumValue", ["__proto__", "DELETE"]), ["__proto___", "DELETE"]);
  });

  it("renames error fields that the error base class owns", () => {
    assert.deepEqual(
      tsNames("errorField", ["name", "message", "stack", "cause", "code", "metadata", "sku"]),
      ["name_", "message_", "stack_", "cause_", "code_", "metadata_", "sku"],
    );
  });

  it("renames methods that the client class owns", () => {
    assert.deepEqual(tsNames("method", ["close", "channel", "constructor", "get", "delete"]), [
      "close_",
      "channel_",
      "constructor_",
      "get",
      "delete",
    ]);
  });

  it("moves definitions out of the way of a service's client and handlers", () => {
    const names = topLevelTsNames([
      { name: "OrderServiceClient", isService: false },
      { name: "OrderService", isService: true },
      { name: "OrderServiceHandlers", isService: false },
    ]);
    assert.deepEqual(names, ["OrderServiceClient_", "OrderService", "OrderServiceHandlers_"]);
  });

  it("follows a renamed service's companions", () => {
    const names = topLevelTsNames([
      { name: "Promise", isService: true },
      { name: "Promise_Client", isService: false },
    ]);
    assert.deepEqual(names, ["Promise_", "Promise_Client_"]);
  });

  it("answers whether a name is taken in a position", () => {
    assert.equal(isTakenName("topLevel", "Map"), true);
    assert.equal(isTakenName("field", "Map"), false);
    assert.equal(isTakenName("param", "options"), true);
    assert.equal(isTakenName("method", "options"), false);
  });
});
