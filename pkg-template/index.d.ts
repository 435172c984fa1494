export * from "./neon_edge.js";
export * from "./errors.js";
