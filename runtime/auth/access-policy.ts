// Which calls need what: a per-method policy of access rules, looked up by the method's wire name, then
// its service (`pkg.Service/*`), then the catch-all `*`. What the policy does not name is denied, so a
// method added later is closed until someone opens it.

/**
 * An access rule: `"allow"` anyone (credentials, if sent, must still verify); `"authenticated"` any
 * verified caller; `{ role }` a caller with that role; `{ anyRole }` a caller with one of them;
 * `"deny"` nobody.
 */
export type AccessRule =
  | "allow"
  | "deny"
  | "authenticated"
  | { readonly role: string }
  | { readonly anyRole: readonly string[] };

/**
 * Access rules by method (`shop.orders.OrderService/getOrder`), by service
 * (`shop.orders.OrderService/*`), and for everything else (`*`).
 */
export type AccessPolicy = Readonly<Record<string, AccessRule>>;

const KEY = /^(\*|[^/*\s]+\/(\*|[^/*\s]+))$/;

function validRule(rule: unknown): boolean {
  if (rule === "allow" || rule === "deny" || rule === "authenticated") return true;
  if (typeof rule !== "object" || rule === null) return false;
  const { role, anyRole } = rule as { role?: unknown; anyRole?: unknown };
  if (typeof role === "string") return role !== "" && anyRole === undefined;
  return (
    Array.isArray(anyRole) && anyRole.length > 0 && anyRole.every((r) => typeof r === "string" && r !== "")
  );
}

/** Throws TypeError for a policy key or rule that means nothing (a typo must not open or close a method). */
export function checkPolicy(policy: AccessPolicy): void {
  for (const [key, rule] of Object.entries(policy)) {
    if (!KEY.test(key)) {
      throw new TypeError(
        `invalid policy key "${key}": expected "pkg.Service/method", "pkg.Service/*" or "*"`,
      );
    }
    if (!validRule(rule)) {
      throw new TypeError(
        `invalid access rule for "${key}": expected "allow", "deny", "authenticated", { role } or { anyRole }`,
      );
    }
  }
}

/** The rule for the method `path` (`pkg.Service/method`), or undefined when the policy names none. */
export function ruleFor(policy: AccessPolicy, path: string): AccessRule | undefined {
  const own = Object.hasOwn(policy, path) ? policy[path] : undefined;
  if (own !== undefined) return own;
  const slash = path.lastIndexOf("/");
  const service = `${path.slice(0, slash)}/*`;
  if (Object.hasOwn(policy, service)) return policy[service];
  return Object.hasOwn(policy, "*") ? policy["*"] : undefined;
}
