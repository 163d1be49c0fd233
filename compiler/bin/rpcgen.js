#!/usr/bin/env node
// Entry point of the `rpcgen` command: runs the compiled CLI from dist/ (built by `npm run build`).
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv);
