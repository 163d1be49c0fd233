import assert from "node:assert/strict";
import { didYouMean, editDistance } from "../../compiler/check/did-you-mean.js";

describe("didYouMean", () => {
  it("prefers a case-insensitive match over a closer edit", () => {
    assert.equal(didYouMean("order", ["Ordr", "Order"]), "Order");
  });

  it("finds a one-letter typo", () => {
    assert.equal(didYouMean("OrderStatuss", ["Order", "OrderStatus", "Status"]), "OrderStatus");
  });

  it("finds a transposition within a third of the length", () => {
    assert.equal(didYouMean("Reciept", ["Receipt", "Order"]), "Receipt");
  });

  it("offers nothing when every candidate is too far", () => {
    assert.equal(didYouMean("Payment", ["Order", "Item", "Card"]), undefined);
    // Two edits on a four-letter name is more than a third of it.
    assert.equal(didYouMean("Itxx", ["Item"]), undefined);
  });

  it("allows one edit even on short names", () => {
    assert.equal(didYouMean("Id", ["Ids"]), "Ids");
  });

  it("never suggests the name itself", () => {
    assert.equal(didYouMean("Order", ["Order"]), undefined);
  });

  it("breaks ties by candidate order", () => {
    assert.equal(didYouMean("Cat", ["Bat", "Hat"]), "Bat");
    assert.equal(didYouMean("Cat", ["Hat", "Bat"]), "Hat");
  });

  it("picks the closest of several candidates", () => {
    assert.equal(didYouMean("Customer", ["Costumes", "Custome", "Customers"]), "Custome");
  });

  it("offers nothing without candidates", () => {
    assert.equal(didYouMean("Order", []), undefined);
  });
});

describe("editDistance", () => {
  it("computes Levenshtein distances", () => {
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
    assert.equal(editDistance("abc", ""), 3);
    assert.equal(editDistance("same", "same"), 0);
    assert.equal(editDistance("flaw", "lawn"), 2);
  });

  it("stops at the cap", () => {
    assert.equal(editDistance("abcdefgh", "zyxwvuts", 2), 2);
  });
});
