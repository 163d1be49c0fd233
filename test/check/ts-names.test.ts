import assert from "node:assert/strict";
import { RpcError, Status } from "@rpcgen/runtime";
import {
  isTakenName,
  OBJECT_PROTOTYPE_MEMBERS,
  topLevelTsNames,
  tsNames,
} from "../../compiler/check/ts-names.js";
import { GENERATED_CODE_NAMES } from "../../compiler/emit/generated-names.js";

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
    // `Error` is a global generated code never refers to: a definition may take its name.
    assert.deepEqual(tsNames("topLevel", ["class", "Promise", "Error", "undefined", "RpcError", "Status"]), [
      "class_",
      "Promise_",
      "Error",
      "undefined_",
      "RpcError",
      "Status",
    ]);
  });

  it("keeps top-level names clear of every global and local the emitter registered", () => {
    for (const name of GENERATED_CODE_NAMES) assert.equal(isTakenName("topLevel", name), true, name);
    assert.deepEqual(tsNames("topLevel", ["Partial", "AsyncIterable", "Map", "Uint8Array", "init", "ctx"]), [
      "Partial_",
      "AsyncIterable_",
      "Map_",
      "Uint8Array_",
      "init_",
      "ctx_",
    ]);
    // Lib names generated code does not use stay as they are.
    assert.deepEqual(tsNames("topLevel", ["Record", "Pick", "Readonly", "Date", "Object"]), [
      "Record",
      "Pick",
      "Readonly",
      "Date",
      "Object",
    ]);
  });

  it("knows every member of Object.prototype", () => {
    assert.deepEqual(
      [...OBJECT_PROTOTYPE_MEMBERS].sort(),
      Object.getOwnPropertyNames(Object.prototype).sort(),
    );
  });

  it("renames members named like Object.prototype members in every member position", () => {
    const members = ["valueOf", "hasOwnProperty", "toString", "isPrototypeOf", "__defineGetter__"];
    const renamed = members.map((m) => `${m}_`);
    for (const position of ["field", "errorField", "enumValue", "method", "param"] as const)
      assert.deepEqual(tsNames(position, members), renamed, position);
  });

  it("renames error fields named like any property of a runtime error", () => {
    const error = new RpcError(Status.NOT_FOUND, "m", { cause: 1, metadata: { a: "b" } });
    const names = new Set<string>();
    for (let o: object | null = error; o !== null; o = Object.getPrototypeOf(o))
      for (const name of Object.getOwnPropertyNames(o)) names.add(name);
    for (const name of names) assert.equal(isTakenName("errorField", name), true, name);
  });

  it("renames a method named `then`, which would make clients and handlers thenables", () => {
    assert.deepEqual(tsNames("method", ["then", "new", "get"]), ["then_", "new", "get"]);
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
