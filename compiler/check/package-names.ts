// A package name and a definition may not share a full name: protobuf puts packages and messages in
// one namespace, so `protoc` rejects `package shop.orders;` next to a `struct orders` in `package shop`.

import type { Span } from "../ast.js";
import { Code } from "./codes.js";
import type { CheckContext } from "./context.js";

/** Reports each definition whose full name is a package name, or the start of one (`shop` of `shop.orders`). */
export function checkPackageNames(ctx: CheckContext): void {
  // Every package and each of its leading parts, with where the package was declared.
  const packages = new Map<string, { name: string; span: Span }>();
  for (const file of ctx.files) {
    const node = file.ast.packages[0];
    if (node === undefined) continue;
    const parts = file.pkg.split(".");
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join(".");
      if (!packages.has(prefix)) packages.set(prefix, { name: file.pkg, span: node.name.span });
    }
  }
  if (packages.size === 0) return;
  for (const file of ctx.files) {
    for (const decl of file.decls) {
      const pkg = packages.get(decl.fullName);
      if (pkg === undefined || !decl.isFirst) continue;
      ctx.reporter.report({
        code: Code.definitionNamedLikePackage,
        severity: "error",
        message: `\`${decl.fullName}\` names both a definition and ${pkg.name === decl.fullName ? "a package" : `part of package \`${pkg.name}\``}`,
        span: decl.node.name.span,
        label: "protobuf keeps packages and definitions in one namespace",
        hint: "rename the definition or the package",
        related: [{ span: pkg.span, message: `package \`${pkg.name}\` declared here` }],
      });
    }
  }
}
