// The part of Bun's built-in API that index.ts uses, for type-checking it with tsc (the repo's
// examples check) without Bun's whole type package; Bun itself never reads this file.
declare const Bun: { version: string; env: Record<string, string | undefined> };
declare const process: { exitCode?: number };
