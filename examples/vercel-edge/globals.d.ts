// Vercel's Edge runtime gives functions their environment variables as `process.env` (and
// no other part of Node's `process`); for type-checking the function with tsc.
declare const process: { env: Record<string, string | undefined> };
