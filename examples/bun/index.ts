// neon-edge in Bun: lists your projects, creates a branch and waits for it, then provisions a
// claimable database and queries it. `bun index.ts`; settings come from the environment
// (README.md beside this file).
import { runTour } from "../shared/tour.mjs";

process.exitCode = await runTour({ runtime: "bun", version: `Bun ${Bun.version}`, env: (name) => Bun.env[name] });
