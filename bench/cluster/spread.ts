// Spread: one consumer at 256 calls in flight over three provider processes, against one provider.

import { connect } from "@rpcgen/runtime";
import { OrderServiceClient } from "../../generated/shop/orders.js";
import { closedLoop, median } from "./closed-loop.js";

/** Calls/s over one provider and over three (medians of the rounds). */
export interface SpreadResult {
  readonly oneCallsPerSec: number;
  readonly threeCallsPerSec: number;
  readonly errors: number;
}

async function measure(addresses: readonly string[]) {
  const channel = connect(`static://${addresses.join(",")}`);
  const orders = new OrderServiceClient(channel);
  for (let i = 0; i < 30; i++) await orders.getOrder("warm");
  const result = await closedLoop(() => orders.getOrder("o-1"), 256);
  await channel.close();
  return result;
}

/** Measures both, interleaved, `rounds` times. */
export async function spread(addresses: readonly string[], rounds: number): Promise<SpreadResult> {
  const one: number[] = [];
  const three: number[] = [];
  let errors = 0;
  for (let round = 0; round < rounds; round++) {
    const a = await measure(addresses.slice(0, 1));
    const b = await measure(addresses);
    one.push(a.callsPerSec);
    three.push(b.callsPerSec);
    errors += a.errors + b.errors;
  }
  return { oneCallsPerSec: median(one), threeCallsPerSec: median(three), errors };
}
