// `rpcgen compat --against <ref>`: the old version of the schema, read from git. Every `.rpc` file under
// the inputs and include directories is read with `git show <ref>:<path>` into a temporary copy of the
// repository's layout, so the old version loads exactly as the new one does.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** Where the old version was materialised, or why it could not be. */
export type GitSnapshot =
  | {
      readonly kind: "ok";
      /** The directory standing for the working directory in the copy (inputs resolve against it). */
      readonly cwd: string;
      /** The temporary directory to remove when done. */
      readonly root: string;
      readonly files: number;
    }
  | { readonly kind: "failed"; readonly reason: string };

function git(args: readonly string[], cwd: string): Buffer {
  return execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
}

/**
 * Copies the `.rpc` files of `ref` under each of `paths` (relative to `cwd`, inside its git repository)
 * into a fresh temporary directory with the repository's layout. Never throws: a missing git, a `cwd`
 * outside a repository or an unknown ref is a reason.
 */
export function snapshotAt(ref: string, paths: readonly string[], cwd: string): GitSnapshot {
  let top: string;
  try {
    top = git(["rev-parse", "--show-toplevel"], cwd).toString("utf8").trim();
    git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd);
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString("utf8").trim();
    return { kind: "failed", reason: stderr || `\`${ref}\` is not a commit of a git repository at ${cwd}` };
  }
  const root = mkdtempSync(path.join(tmpdir(), "rpcgen-compat-"));
  const inRepo = paths
    .map((p) => path.relative(top, path.resolve(cwd, p)).split(path.sep).join("/"))
    .filter((p) => !p.startsWith(".."));
  let files = 0;
  try {
    const listed = git(["ls-tree", "-r", "--name-only", "-z", ref, "--", ...inRepo.map((p) => p || ".")], top)
      .toString("utf8")
      .split("\0")
      .filter((name) => name.endsWith(".rpc"));
    for (const name of listed) {
      const target = path.join(root, ...name.split("/"));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, git(["show", `${ref}:${name}`], top));
      files++;
    }
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString("utf8").trim();
    return { kind: "failed", reason: stderr || String(error) };
  }
  const cwdInCopy = path.join(root, path.relative(top, cwd));
  mkdirSync(cwdInCopy, { recursive: true });
  return { kind: "ok", cwd: cwdInCopy, root, files };
}
