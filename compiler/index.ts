// The compiler's public API (`rpcgen`): run the front end, render its diagnostics, emit code
// from the checked model, and the types of the syntax tree, the program and the resolved model.

export type * from "./ast.js";
export type { Diagnostic, RelatedLocation, Severity } from "./diagnostics/diagnostic.js";
export { Reporter } from "./diagnostics/diagnostic.js";
export { renderHuman } from "./diagnostics/render-human.js";
export { type JsonDiagnostic, renderJson } from "./diagnostics/render-json.js";
export { renderShort } from "./diagnostics/render-short.js";
export { type FrontEndOptions, type FrontEndResult, runFrontEnd } from "./driver.js";
export { type EmitOptions, type EmitTarget, emitTypeScript } from "./emit/index.js";
export type * from "./model.js";
export type * from "./program.js";
export { parseFile } from "./syntax/parse-file.js";
