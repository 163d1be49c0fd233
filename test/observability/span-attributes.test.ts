// The server attributes a client span gets from its channel's target, for every target kind `connect`
// takes.

import assert from "node:assert/strict";
import { serverAttributes } from "../../runtime/opentelemetry/span-attributes.js";

describe("client span server attributes", () => {
  it("name the host and port of a TCP target, the path of a Unix socket, and a cluster by its URI", () => {
    assert.deepEqual(serverAttributes("127.0.0.1:7000"), {
      "server.address": "127.0.0.1",
      "server.port": 7000,
    });
    assert.deepEqual(serverAttributes("tcp://orders.internal:7000"), {
      "server.address": "orders.internal",
      "server.port": 7000,
    });
    assert.deepEqual(serverAttributes("[::1]:7000"), { "server.address": "::1", "server.port": 7000 });
    assert.deepEqual(serverAttributes("unix:///run/orders.sock"), { "server.address": "/run/orders.sock" });
    assert.deepEqual(serverAttributes("unix:orders.sock"), { "server.address": "orders.sock" });
    const cluster = "etcd://127.0.0.1:2379/shop.orders.OrderService";
    assert.deepEqual(serverAttributes(cluster), { "rpcgen.target": cluster });
    assert.deepEqual(serverAttributes(undefined), {});
  });
});
