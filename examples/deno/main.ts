// neon-edge in Deno: lists your projects, creates a branch and waits for it, then provisions a
// claimable database and queries it. `deno task start`; settings come from the environment
// (README.md beside this file).
import { runTour } from "../shared/tour.mjs";

Deno.exit(await runTour({ runtime: "deno", version: `Deno ${Deno.version.deno}`, env: (name) => Deno.env.get(name) }));
