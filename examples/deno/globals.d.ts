// The part of Deno's built-in API that main.ts uses, for type-checking it with tsc (the repo's
// examples check); Deno itself knows these and never reads this file (`deno check main.ts`).
declare namespace Deno {
  const version: { deno: string };
  const env: { get(name: string): string | undefined };
  function exit(code?: number): never;
}
